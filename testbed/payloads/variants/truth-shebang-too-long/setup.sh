#!/bin/sh
set -eu
# the build server's virtualenv, deployed with the payload
mkdir -p "$(dirname /var/lib/jenkins/workspace/payload-flight-software_release-1.5-hotfix@2/.tox/py311-flight-integration-hil/venv-3.11.2-debian12-x86_64-a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4-build-cache-00000042/bin/python3)"
ln -s /usr/bin/python3 /var/lib/jenkins/workspace/payload-flight-software_release-1.5-hotfix@2/.tox/py311-flight-integration-hil/venv-3.11.2-debian12-x86_64-a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4-build-cache-00000042/bin/python3
