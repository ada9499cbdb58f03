"""Seeds a moto server with an estate for the template tests and prints what the templates must flag.

usage: seed_estate.py ENDPOINT REGION[,REGION…] GROUPS_PER_REGION DB_INSTANCES_PER_REGION SEED [world-only]

With `world-only`, the only non-private sources are 0.0.0.0/0 (no public /32 addresses), so "outside
the RFC 1918 ranges" and "open to the world" flag the same groups (for comparing with peers).

Per region: GROUPS security groups whose inbound rules are drawn at random from private ranges, other
security groups, 0.0.0.0/0 and public /32 addresses; DB_INSTANCES RDS instances, some publicly
accessible, each with one or two of the groups. Prints JSON:
{"REGION": {"outsideGroups": [...], "publicDbInstances": [...], "groups": N, "dbInstances": N}}
where outsideGroups are the groups with an inbound source outside the RFC 1918 ranges (what
"Security Groups allowing outside IPs" must fail) and publicDbInstances the instances that are
publicly accessible or have a group with an inbound rule from 0.0.0.0/0 ("Publicly accessible RDS DB
instances").
"""
import ipaddress
import json
import random
import sys

import boto3

endpoint, regions, groups_per_region, dbs_per_region, seed = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
world_only = sys.argv[6:] == ["world-only"]
assert endpoint.startswith("http://127.0.0.1:"), "loopback only"
random.seed(seed)
PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")]
credentials = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
result = {}
for region in regions:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint, **credentials)
    rds = boto3.client("rds", region_name=region, endpoint_url=endpoint, **credentials)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    groups, outside, world_open = [], set(), set()
    for index in range(groups_per_region):
        group = ec2.create_security_group(GroupName=f"weft-{region}-{index}", Description="weft test", VpcId=vpc)["GroupId"]
        permissions = []
        for _ in range(random.randint(0, 3)):
            kind = random.random()
            port = random.choice([22, 443, 5432, 3306])
            rule = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
            if kind < 0.55:
                cidr = f"10.{random.randint(0, 255)}.0.0/16" if random.random() < 0.5 else f"192.168.{random.randint(0, 255)}.0/24"
                rule["IpRanges"] = [{"CidrIp": cidr}]
            elif kind < 0.70 and groups:
                rule["UserIdGroupPairs"] = [{"GroupId": random.choice(groups)}]
            elif kind < 0.85 or world_only:
                rule["IpRanges"] = [{"CidrIp": "0.0.0.0/0"}]
                outside.add(group); world_open.add(group)
            else:
                address = f"{random.randint(11, 99)}.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}/32"
                rule["IpRanges"] = [{"CidrIp": address}]
                outside.add(group)
            if ("IpRanges" in rule or "UserIdGroupPairs" in rule) and rule not in permissions:
                permissions.append(rule)
        if permissions:
            ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=permissions)
        groups.append(group)
    public_dbs = []
    for index in range(dbs_per_region):
        name = f"db-{region}-{index}"
        attached = random.sample(groups, k=min(len(groups), random.randint(1, 2)))
        public = random.random() < 0.2
        rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres",
                               MasterUsername="admin", MasterUserPassword="not-a-secret-1", AllocatedStorage=20,
                               DBName=f"app{index}", PubliclyAccessible=public, VpcSecurityGroupIds=attached)
        if public or any(group in world_open for group in attached):
            public_dbs.append(name)
    default_groups = [g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] == "default"]
    result[region] = {"outsideGroups": sorted(outside), "publicDbInstances": sorted(public_dbs),
                      "groups": groups_per_region + len(default_groups), "dbInstances": dbs_per_region}
print(json.dumps(result))
