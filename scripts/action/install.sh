#!/usr/bin/env bash
# action.yml, step 1: installs the released indus with scripts/install.sh (checksum verified) into the runner's temp
# folder and puts it on PATH for the next steps. INDUS_DOWNLOAD_BASE, if set in the job, points at a mirror.
set -euo pipefail

dir="${RUNNER_TEMP:?RUNNER_TEMP is not set: this runs as a step of action.yml}/indus-bin"
version="${INDUS_VERSION:-latest}"
if [ "$version" = latest ]; then version=""; fi

case "$(uname -s)" in
  Linux | Darwin) ;;
  *) echo "::error title=indus::the indus action runs on Linux and macOS runners; on Windows install with scripts/install.ps1 and run indus yourself"; exit 1 ;;
esac

INDUS_VERSION="$version" INDUS_INSTALL_DIR="$dir" sh "${INDUS_ACTION_PATH:?}/scripts/install.sh"
echo "$dir" >> "${GITHUB_PATH:?}"
echo "indus-path=$dir/indus" >> "${GITHUB_OUTPUT:?}"
