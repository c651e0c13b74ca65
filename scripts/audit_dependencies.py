"""Audit the installed packages for known vulnerabilities (pip-audit), and say how many were audited.

    .venv/bin/python scripts/audit_dependencies.py

Fails (exit 1) on any known vulnerability. pip-audit asks PyPI for each release's advisories; where
that service cannot be reached every package is skipped, and pip-audit would still print "No known
vulnerabilities found". This says instead how many packages were audited, and with none audited it
fails only when AUDIT_STRICT=1 (a machine that reaches PyPI's JSON API should set it).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

PIP_AUDIT = Path(sys.executable).with_name("pip-audit")


def main():
    done = subprocess.run(
        [PIP_AUDIT, "--format", "json", "--skip-editable", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(done.stdout)
    except ValueError:
        print(done.stdout, done.stderr, sep="\n")
        print("pip-audit gave no report")
        return 1
    packages = report["dependencies"]
    audited = [package for package in packages if "skip_reason" not in package]
    vulnerable = [package for package in audited if package["vulns"]]
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "no fixed release yet"
            print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})")
    print(f"audited {len(audited)} of {len(packages)} packages: {len(vulnerable)} with known vulnerabilities")
    if vulnerable:
        return 1
    if not audited:
        print("nothing was audited: the vulnerability service (PyPI's per-release JSON) could not be reached")
        return 1 if os.environ.get("AUDIT_STRICT") == "1" else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
