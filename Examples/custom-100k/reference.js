// Computes the flow's summary again with plain Node.js (no Weft helpers) and compares it with a
// summary file: `node reference.js expected/node-4d5e6f70-custom.json`. Exit status 0 when equal.
"use strict";
const fs = require("fs");

const regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-south-1"];
let state = 2463534242;
const next = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state; };

// IPv4 ranges with no public address (Weft's CIDR.nonPublicIPv4).
const special = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
  "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
  "224.0.0.0/4", "240.0.0.0/4"].map(range).sort((a, b) => a[0] - b[0]);
function range(cidr) {
  const [address, bits] = cidr.split("/");
  const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(value / size) * size;
  return [first, first + size - 1];
}
function isPublic(cidr) {
  let [current, last] = range(cidr);
  for (const [first, end] of special) {
    if (end < current) continue;
    if (current < first) return true;
    if (end >= last) return false;
    current = end + 1;
  }
  return true;
}

const end = Date.parse("2025-01-01T00:00:00Z");
const byRegion = {};
for (let i = 0; i < 100000; i++) {
  const r = next();
  const exposed = r % 10 === 0;
  const cidr = exposed ? `${(r >>> 8) % 200 + 20}.${(r >>> 4) % 256}.0.0/16` : `10.${(r >>> 8) % 256}.${r % 256}.0/24`;
  const createdAt = Date.UTC(2024, 0, 1) + (r % 365) * 86400000;
  const item = {
    region: regions[(r >>> 3) % 4], size: (r >>> 12) % 1000, public: isPublic(cidr),
    ageDays: Math.floor((end - createdAt) / 86400000), owner: "team-" + (r % 7),
  };
  if (!(item.public || item.size >= 900)) continue;
  const s = byRegion[item.region] ??= { region: item.region, count: 0, public: 0, totalSize: 0, oldestDays: 0, owners: {} };
  s.count++;
  if (item.public) s.public++;
  s.totalSize += item.size;
  s.oldestDays = Math.max(s.oldestDays, item.ageDays);
  s.owners[item.owner] = (s.owners[item.owner] ?? 0) + 1;
}
const summary = Object.values(byRegion).sort((a, b) => a.region.localeCompare(b.region));
const file = process.argv[2];
if (!file) {
  console.log(JSON.stringify(summary, null, 2));
  process.exit(0);
}
const given = JSON.parse(fs.readFileSync(file, "utf8"));
const canonical = (value) => JSON.stringify(value, (key, v) => (v && typeof v === "object" && !Array.isArray(v)
  ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
if (canonical(given) === canonical(summary)) {
  console.log(`${file} matches the Node.js reference (${summary.reduce((n, s) => n + s.count, 0)} items kept)`);
} else {
  console.error(`${file} differs from the Node.js reference:\n${JSON.stringify(summary, null, 2)}`);
  process.exit(1);
}
