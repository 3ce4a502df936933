"""Prints template.yaml as CloudFormation JSON after the AWS SAM transform (what `sam deploy` submits).

Uses the SAM translator that cfn-lint installs; CodeUri values are replaced with S3 placeholders, as
`sam deploy` does after uploading the jars. Usage: python3 sam-transform.py template.yaml
"""
import json
import os
import sys

from cfnlint.decode import decode_str
from samtranslator.translator.transform import transform

os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
template, problems = decode_str(open(sys.argv[1], encoding="utf-8").read())
if problems:
    sys.exit("cannot read %s: %s" % (sys.argv[1], problems))
for name, resource in template["Resources"].items():
    if resource["Type"] == "AWS::Serverless::Function":
        resource["Properties"]["CodeUri"] = "s3://bucket/%s.jar" % name


class NoManagedPolicies:
    def load(self):
        return {}


print(json.dumps(transform(template, {}, NoManagedPolicies()), default=str))
