#!/usr/bin/env python3
"""Writes a JSON array of EC2-instance-like objects, the same for the same seed.

usage: generate-ec2-instances.py COUNT OUT.json [--seed N] [--full]
--full writes the bigger objects DescribeInstances returns (used by the benchmarks); without it the
objects are compact (used by the example flows).
"""
import json
import random
import sys


def instance(rng, index, full):
    envs = ["prod", "staging", "dev", "test"]
    teams = ["payments", "search", "identity", "platform", "data"]
    types = ["t3.micro", "t3.large", "m5.xlarge", "c6g.2xlarge", "r6i.large"]
    states = [(16, "running"), (16, "running"), (16, "running"), (80, "stopped"), (48, "terminated")]
    code, state = rng.choice(states)
    public = rng.random() < 0.3
    az = rng.choice(["us-east-1a", "us-east-1b", "us-east-1c"])
    day = 1 + index % 28
    month = 1 + (index // 28) % 12
    item = {
        "InstanceId": "i-%017x" % (0x1000000 + index * 7919),
        "ImageId": "ami-%08x" % rng.randrange(16**8),
        "InstanceType": rng.choice(types),
        "LaunchTime": "2025-%02d-%02dT%02d:%02d:00.000Z" % (month, day, rng.randrange(24), rng.randrange(60)),
        "State": {"Code": code, "Name": state},
        "PrivateIpAddress": "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), 1 + rng.randrange(254)),
        "Placement": {"AvailabilityZone": az},
        "MetadataOptions": {"HttpTokens": rng.choice(["required", "required", "optional"])},
        "SecurityGroups": [{"GroupId": "sg-%08x" % rng.randrange(16**8), "GroupName": "web"}],
        "Tags": [{"Key": "Environment", "Value": rng.choice(envs)}, {"Key": "Owner", "Value": rng.choice(teams)}],
    }
    if public:
        item["PublicIpAddress"] = "54.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), 1 + rng.randrange(254))
    if full:
        item.update({
            "AmiLaunchIndex": 0, "KernelId": None, "KeyName": "ops-%d" % rng.randrange(10),
            "Monitoring": {"State": rng.choice(["disabled", "enabled"])},
            "PrivateDnsName": "ip-%s.ec2.internal" % item["PrivateIpAddress"].replace(".", "-"),
            "ProductCodes": [], "SubnetId": "subnet-%08x" % rng.randrange(16**8),
            "VpcId": "vpc-%08x" % rng.randrange(16**8), "Architecture": "x86_64",
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {
                "AttachTime": item["LaunchTime"], "DeleteOnTermination": True, "Status": "attached",
                "VolumeId": "vol-%017x" % rng.randrange(16**17)}}],
            "EbsOptimized": rng.random() < 0.5, "EnaSupport": True, "Hypervisor": "xen",
            "NetworkInterfaces": [{"Description": "", "MacAddress": "0e:%02x:%02x:%02x:%02x:%02x" % tuple(rng.randrange(256) for _ in range(5)),
                                   "NetworkInterfaceId": "eni-%017x" % rng.randrange(16**17), "OwnerId": "123456789012",
                                   "PrivateIpAddress": item["PrivateIpAddress"], "SourceDestCheck": True, "Status": "in-use"}],
            "RootDeviceName": "/dev/xvda", "RootDeviceType": "ebs", "VirtualizationType": "hvm",
            "CpuOptions": {"CoreCount": rng.choice([1, 2, 4]), "ThreadsPerCore": 2},
            "HibernationOptions": {"Configured": False}, "PlatformDetails": "Linux/UNIX",
            "UsageOperation": "RunInstances", "BootMode": "uefi-preferred", "CurrentInstanceBootMode": "legacy-bios",
        })
    return item


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    count, out = int(args[0]), args[1]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 42
    full = "--full" in args
    rng = random.Random(seed)
    with open(out, "w") as f:
        f.write("[")
        for i in range(count):
            if i:
                f.write(",\n")
            f.write(json.dumps(instance(rng, i, full), separators=(",", ":")))
        f.write("]\n")


if __name__ == "__main__":
    main()
