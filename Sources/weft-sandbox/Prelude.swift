/// The JavaScript evaluated in every fresh context before the user's code.
///
/// It is one function expression taking the native helpers (`jsonpath`, `cidr`, `date`) and
/// returning the helper's private handle — `configure`, `setCustom`, `setCondition`, `addInput`,
/// `each`, `run`, `chunk`, `conditions`, `takeLogs`, `settle` — which the user's code cannot
/// reach. It installs `console` and `weft` as globals.
let prelude = #"""
(function (native) {
"use strict";
const state = {
  logs: [], logBytes: 0, logLimit: 1048576, logDropped: false,
  items: [], inputs: {}, fn: null, conditions: [], out: null, weft: null, now: null,
};

function show(value) {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.name + ": " + value.message;
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "[function " + (value.name || "anonymous") + "]";
  if (typeof value === "bigint") return value.toString() + "n";
  if (typeof value === "symbol") return value.toString();
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text;
  } catch (e) {
    return String(value);
  }
}

function log(level, args) {
  if (state.logDropped) return;
  let text = "";
  for (let i = 0; i < args.length; i++) text += (i ? " " : "") + show(args[i]);
  state.logBytes += text.length + 1;
  if (state.logBytes > state.logLimit) {
    state.logDropped = true;
    state.logs.push(["warn", "console output past " + state.logLimit + " bytes was dropped"]);
    return;
  }
  state.logs.push([level, text]);
}

const consoleObject = Object.freeze({
  log(...args) { log("log", args); },
  info(...args) { log("info", args); },
  debug(...args) { log("debug", args); },
  warn(...args) { log("warn", args); },
  error(...args) { log("error", args); },
});

function isThenable(value) {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof value.then === "function";
}

function toDate(value) {
  if (value instanceof Date) {
    if (isNaN(value.getTime())) throw new TypeError("invalid date");
    return new Date(value.getTime());
  }
  let json;
  try { json = JSON.stringify(value); } catch (e) { json = undefined; }
  const ms = json === undefined ? NaN : native.date(json);
  if (isNaN(ms)) throw new TypeError("not a date: " + show(value) + " (expected ISO 8601 text or epoch seconds/milliseconds)");
  return new Date(ms);
}

function pad(number, width) {
  let text = String(number);
  while (text.length < width) text = "0" + text;
  return text;
}

const date = Object.freeze({
  parse(value) { return toDate(value); },
  format(value, pattern) {
    const d = toDate(value);
    if (pattern === undefined) return d.toISOString();
    const parts = {
      YYYY: pad(d.getUTCFullYear(), 4), MM: pad(d.getUTCMonth() + 1, 2), DD: pad(d.getUTCDate(), 2),
      HH: pad(d.getUTCHours(), 2), mm: pad(d.getUTCMinutes(), 2), ss: pad(d.getUTCSeconds(), 2),
      SSS: pad(d.getUTCMilliseconds(), 3),
    };
    return String(pattern).replace(/YYYY|SSS|MM|DD|HH|mm|ss/g, (token) => parts[token]);
  },
  addDays(value, days) {
    const d = toDate(value);
    return new Date(d.getTime() + Number(days) * 86400000);
  },
});

function csvParse(text) {
  text = String(text);
  if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
  const records = [];
  let fields = [], field = "", i = 0, line = 1, recordLine = 1, quoted = false, touched = false;
  const n = text.length;
  function endField() { fields.push(field); field = ""; quoted = false; }
  function endRecord() {
    endField();
    if (!(fields.length === 1 && fields[0] === "" && !touched)) records.push([fields, recordLine]);
    fields = []; touched = false; recordLine = line;
  }
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === "" && !quoted) {
      quoted = true; touched = true; i++;
      for (;;) {
        if (i >= n) throw new SyntaxError("CSV line " + recordLine + ": unterminated quoted field");
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++; break;
        }
        if (q === "\n") line++;
        field += q; i++;
      }
      if (i < n && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") {
        throw new SyntaxError("CSV line " + line + ": text after a closing quote");
      }
      continue;
    }
    if (c === ",") { touched = true; endField(); i++; continue; }
    if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      i++; line++;
      endRecord();
      continue;
    }
    field += c; touched = true; i++;
  }
  if (field !== "" || fields.length > 0 || touched) endRecord();
  if (records.length === 0) return [];
  const header = records[0][0];
  const seen = new Set();
  for (const name of header) {
    if (seen.has(name)) throw new SyntaxError("CSV line 1: the header names column \"" + name + "\" twice");
    seen.add(name);
  }
  const rows = [];
  for (let r = 1; r < records.length; r++) {
    const [values, at] = records[r];
    if (values.length > header.length) throw new SyntaxError("CSV line " + at + ": more fields than the header");
    const row = {};
    for (let k = 0; k < header.length; k++) row[header[k]] = k < values.length ? values[k] : "";
    rows.push(row);
  }
  return rows;
}

function csvCell(value) {
  let text;
  if (value === null || value === undefined) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "object") text = JSON.stringify(value);
  else text = String(value);
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function csvStringify(rows, columns) {
  if (!Array.isArray(rows)) throw new TypeError("weft.csv.stringify expects an array of objects");
  if (columns === undefined) {
    columns = [];
    const seen = new Set();
    for (const row of rows) {
      if (row === null || typeof row !== "object") continue;
      for (const key of Object.keys(row)) if (!seen.has(key)) { seen.add(key); columns.push(key); }
    }
  }
  const lines = [columns.map(csvCell).join(",")];
  for (const row of rows) {
    lines.push(columns.map((key) => csvCell(row === null || row === undefined ? undefined : row[key])).join(","));
  }
  return lines.join("\n") + "\n";
}

function define(object, key, value) {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function xmlToJson(source) {
  const text = String(source);
  const n = text.length;
  let i = 0;
  function fail(message) {
    const before = text.slice(0, i);
    const line = before.split("\n").length;
    const column = i - before.lastIndexOf("\n");
    throw new SyntaxError("invalid XML at line " + line + ", column " + column + ": " + message);
  }
  function decode(raw) {
    return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (match, entity) => {
      switch (entity) {
        case "lt": return "<";
        case "gt": return ">";
        case "amp": return "&";
        case "quot": return '"';
        case "apos": return "'";
        default: return String.fromCodePoint(entity[1] === "x" ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
      }
    });
  }
  function space() { while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++; }
  function skipUntil(end, what) {
    const found = text.indexOf(end, i);
    if (found < 0) fail("unterminated " + what);
    i = found + end.length;
  }
  function misc() {
    for (;;) {
      space();
      if (text.startsWith("<?", i)) skipUntil("?>", "processing instruction");
      else if (text.startsWith("<!--", i)) skipUntil("-->", "comment");
      else if (text.startsWith("<!DOCTYPE", i)) {
        let depth = 0;
        for (; i < n; i++) {
          if (text[i] === "[") depth++;
          else if (text[i] === "]") depth--;
          else if (text[i] === ">" && depth === 0) { i++; break; }
        }
      } else return;
    }
  }
  const namePattern = /[^\s\/>=<"']+/y;
  function name() {
    namePattern.lastIndex = i;
    const match = namePattern.exec(text);
    if (!match) fail("expected a name");
    i = namePattern.lastIndex;
    return match[0];
  }
  function build(attributes, children, content) {
    const trimmed = content.trim();
    if (attributes.length === 0 && children.length === 0) return trimmed === "" ? null : trimmed;
    const object = {};
    attributes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [key, value] of attributes) define(object, "@" + key, value);
    const repeated = new Set();
    for (const [key, value] of children) {
      if (Object.prototype.hasOwnProperty.call(object, key)) {
        if (!repeated.has(key)) { define(object, key, [object[key]]); repeated.add(key); }
        object[key].push(value);
      } else {
        define(object, key, value);
      }
    }
    if (trimmed !== "") define(object, "#text", trimmed);
    return object;
  }
  function element() {
    i++;
    const tag = name();
    const attributes = [];
    for (;;) {
      space();
      if (i >= n) fail("unterminated tag <" + tag + ">");
      if (text[i] === "/" && text[i + 1] === ">") { i += 2; return [tag, build(attributes, [], "")]; }
      if (text[i] === ">") { i++; break; }
      const attribute = name();
      space();
      if (text[i] !== "=") fail("expected '=' after attribute " + attribute);
      i++;
      space();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail("expected a quoted value for attribute " + attribute);
      const end = text.indexOf(quote, i + 1);
      if (end < 0) fail("unterminated value of attribute " + attribute);
      attributes.push([attribute, decode(text.slice(i + 1, end))]);
      i = end + 1;
    }
    const children = [];
    let content = "";
    for (;;) {
      const open = text.indexOf("<", i);
      if (open < 0) { i = n; fail("element <" + tag + "> is not closed"); }
      if (open > i) { content += decode(text.slice(i, open)); i = open; }
      if (text.startsWith("</", i)) {
        i += 2;
        const closing = name();
        if (closing !== tag) fail("expected </" + tag + ">, found </" + closing + ">");
        space();
        if (text[i] !== ">") fail("expected '>'");
        i++;
        return [tag, build(attributes, children, content)];
      }
      if (text.startsWith("<![CDATA[", i)) {
        const end = text.indexOf("]]>", i);
        if (end < 0) fail("unterminated CDATA section");
        content += text.slice(i + 9, end);
        i = end + 3;
      } else if (text.startsWith("<!--", i)) skipUntil("-->", "comment");
      else if (text.startsWith("<?", i)) skipUntil("?>", "processing instruction");
      else children.push(element());
    }
  }
  misc();
  if (text[i] !== "<") fail("expected the root element");
  const [tag, value] = element();
  misc();
  if (i < n) fail("text after the root element");
  const document = {};
  define(document, tag, value);
  return document;
}

function makeWeft(vars, execution) {
  return Object.freeze({
    vars,
    execution,
    jsonpath(value, path) {
      if (value === undefined) return [];
      return JSON.parse(native.jsonpath(JSON.stringify(value), String(path)));
    },
    xmlToJson,
    cidr: Object.freeze({
      contains(outer, inner) { return native.cidr("contains", String(outer), String(inner)); },
      isPublic(cidr) { return native.cidr("isPublic", String(cidr), ""); },
    }),
    date,
    csv: Object.freeze({ parse: csvParse, stringify: csvStringify }),
  });
}

function flatten(results) {
  const out = [];
  for (const result of results) {
    if (result === undefined) continue;
    if (Array.isArray(result)) { for (const element of result) out.push(element); } else out.push(result);
  }
  return out;
}

function describeError(error) {
  if (error instanceof Error) return error.name + ": " + error.message;
  return show(error);
}

function verdict(value) {
  return value === true || value === false ? value : { value: show(value) };
}

return {
  configure(config) {
    state.logLimit = config.logBytes;
    state.now = config.now;
    state.weft = makeWeft(config.vars, config.execution);
    for (const name of config.inputs || []) state.inputs[name] = [];
    Object.defineProperty(globalThis, "console", { value: consoleObject, writable: true, configurable: true });
    Object.defineProperty(globalThis, "weft", { value: state.weft, writable: true, configurable: true });
  },
  setCustom(fn) { state.fn = fn; },
  setCondition(id, fn) { state.conditions.push([id, fn]); },
  addInput(batch, name) {
    const target = name === undefined ? state.items : (state.inputs[name] || (state.inputs[name] = []));
    for (let i = 0; i < batch.length; i++) target.push(batch[i]);
  },
  each(batch, start) {
    const fn = state.fn, inputs = state.inputs, weft = state.weft;
    const results = new Array(batch.length);
    let pending = false;
    for (let i = 0; i < batch.length; i++) {
      let result;
      try {
        result = fn(batch[i], start + i, inputs, weft);
      } catch (error) {
        if (error !== null && typeof error === "object") { try { error.weftItemIndex = start + i; } catch (ignored) {} }
        throw error;
      }
      if (isThenable(result)) pending = true;
      results[i] = result;
    }
    if (pending) return Promise.all(results).then((settled) => JSON.stringify(flatten(settled)));
    return JSON.stringify(flatten(results));
  },
  run() {
    const finish = (result) => {
      state.items = [];
      if (result === undefined) throw new TypeError("the code returned undefined: return an array of items");
      state.out = Array.isArray(result) ? result : [result];
      return state.out.length;
    };
    const result = state.fn(state.items, state.inputs, state.weft);
    return isThenable(result) ? Promise.resolve(result).then(finish) : finish(result);
  },
  chunk(start, size) {
    const text = JSON.stringify(state.out.slice(start, start + size));
    if (start + size >= state.out.length) state.out = null;
    return text;
  },
  conditions(batch, start) {
    const weft = state.weft, now = state.now;
    const verdicts = {};
    let pending = false;
    for (const [id, fn] of state.conditions) {
      const list = new Array(batch.length);
      for (let i = 0; i < batch.length; i++) {
        let result;
        try {
          result = fn(batch[i], { index: start + i, now, vars: weft.vars, execution: weft.execution });
        } catch (error) {
          list[i] = { error: describeError(error) };
          continue;
        }
        if (isThenable(result)) {
          pending = true;
          list[i] = Promise.resolve(result).then(verdict, (error) => ({ error: describeError(error) }));
        } else {
          list[i] = verdict(result);
        }
      }
      verdicts[id] = list;
    }
    if (!pending) return JSON.stringify(verdicts);
    return Promise.all(Object.keys(verdicts).map((id) => Promise.all(verdicts[id]).then((list) => { verdicts[id] = list; })))
      .then(() => JSON.stringify(verdicts));
  },
  takeLogs() {
    if (state.logs.length === 0) return "";
    const text = JSON.stringify(state.logs);
    state.logs = [];
    return text;
  },
  settle(promise) {
    const box = { done: false, failed: false, value: undefined, error: undefined };
    Promise.resolve(promise).then(
      (value) => { box.done = true; box.value = value; },
      (error) => { box.done = true; box.failed = true; box.error = error; });
    return box;
  },
};
})
"""#
