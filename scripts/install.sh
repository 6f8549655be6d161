#!/bin/sh
# Installs indus on Linux or macOS: picks the release archive for this OS, CPU and libc, checks its SHA-256, installs the binary.
#
#   curl -fsSL https://raw.githubusercontent.com/indus-dev/indus/main/scripts/install.sh | sh
#
# Environment:
#   INDUS_VERSION        version to install, e.g. 0.1.0 (default: the latest release)
#   INDUS_INSTALL_DIR    where to put the binary (default: ~/.local/bin, or /usr/local/bin as root)
#   INDUS_DOWNLOAD_BASE  a URL holding the archives and checksums.txt, instead of GitHub releases (mirrors, air-gapped CI)
#   INDUS_REPO           GitHub owner/name to download from (default: indus-dev/indus)
set -eu

INDUS_REPO="${INDUS_REPO:-indus-dev/indus}"
tmp=""

say() { printf '%s\n' "$*"; }
fail() {
  printf 'indus install: error: %s\n' "$1" >&2
  if [ -n "${2:-}" ]; then printf 'indus install: hint: %s\n' "$2" >&2; fi
  exit 1
}
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

detect_os() {
  case "$(uname -s)" in
    Linux) echo linux ;;
    Darwin) echo darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      fail "this script installs on Linux and macOS; this is Windows ($(uname -s))" \
        "in PowerShell: irm https://raw.githubusercontent.com/$INDUS_REPO/main/scripts/install.ps1 | iex" ;;
    *) fail "unsupported platform: $(uname -s) $(uname -m); indus is built for Linux and macOS (x64, arm64) and Windows" \
        "other systems can build it from source with Bun: npm ci && npm run build" ;;
  esac
}

detect_arch() {
  arch=""
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) fail "unsupported platform: $(uname -s) $(uname -m); indus is built for x64 (x86_64, amd64) and arm64 (aarch64)" \
        "other CPUs can build it from source with Bun: npm ci && npm run build" ;;
  esac
  # An x64 shell under Rosetta on Apple silicon: the native build is the better one.
  if [ "$1" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
    arch=arm64
  fi
  echo "$arch"
}

# Alpine and other musl systems need the musl build: glibc's loader is not there. ldd says which libc the system
# runs on; a musl loader in /lib alone decides only when ldd is silent (Debian can have one beside glibc).
detect_libc_suffix() {
  [ "$1" = linux ] || return 0
  libc_says=$(ldd --version 2>&1 || true)
  case "$libc_says" in
    *musl*) echo _musl; return 0 ;;
    *GLIBC* | *"GNU libc"* | *glibc*) return 0 ;;
  esac
  for f in /lib/ld-musl-*; do
    if [ -e "$f" ]; then echo _musl; return 0; fi
  done
}

download() { # url file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 -o "$2" "$1" || return 1
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || return 1
  else
    fail "neither curl nor wget is installed" "install one of them (apt-get install curl, apk add curl) and run this again"
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    fail "cannot verify the download: neither sha256sum nor shasum is installed" "install coreutils (or perl's shasum) and run this again"
  fi
}

# INDUS_INSTALL_DIR, else /usr/local/bin as root, else ~/.local/bin; no answer (status 1) when HOME is unset.
install_dir() {
  if [ -n "${INDUS_INSTALL_DIR:-}" ]; then echo "$INDUS_INSTALL_DIR"; return 0; fi
  if [ "$(id -u)" = 0 ]; then echo /usr/local/bin; return 0; fi
  [ -n "${HOME:-}" ] || return 1
  echo "$HOME/.local/bin"
}

main() {
  # decided before any download: a CI container or service without HOME learns it at once
  dir=$(install_dir) || fail "HOME is not set, so there is no ~/.local/bin to install into; nothing was downloaded" \
    "set INDUS_INSTALL_DIR to a folder on your PATH (or set HOME) and run this again"
  os=$(detect_os)
  arch=$(detect_arch "$os")
  libc=$(detect_libc_suffix "$os")
  suffix="_${os}_${arch}${libc}.tar.gz"
  version="${INDUS_VERSION:-}"
  version="${version#v}"

  if [ -n "${INDUS_DOWNLOAD_BASE:-}" ]; then
    base="${INDUS_DOWNLOAD_BASE%/}"
  elif [ -n "$version" ]; then
    base="https://github.com/$INDUS_REPO/releases/download/v$version"
  else
    base="https://github.com/$INDUS_REPO/releases/latest/download"
  fi

  tmp=$(mktemp -d 2>/dev/null || mktemp -d -t indus-install)
  download "$base/checksums.txt" "$tmp/checksums.txt" \
    || fail "download failed: $base/checksums.txt" "check the version (INDUS_VERSION=${version:-latest}), the network, or INDUS_DOWNLOAD_BASE"

  # checksums.txt names every archive of the release; ours is the one ending in this platform's suffix.
  line=$(awk -v want="${version:+indus_${version}${suffix}}" -v suffix="$suffix" '{
      name = $2; sub(/^\*/, "", name)
      if (want != "" ? name == want : (index(name, "indus_") == 1 && substr(name, length(name) - length(suffix) + 1) == suffix)) {
        print $1 " " name; exit
      }
    }' "$tmp/checksums.txt")
  if [ -z "$line" ]; then
    if ! grep -q '^[0-9a-f]\{64\}  *\*\{0,1\}indus_' "$tmp/checksums.txt"; then
      fail "$base/checksums.txt lists no indus archives" "INDUS_DOWNLOAD_BASE must be the folder holding the release's archives and checksums.txt"
    fi
    if [ -n "$version" ] && ! grep -q " \*\{0,1\}indus_${version}_" "$tmp/checksums.txt"; then
      fail "version $version is not in $base/checksums.txt" "leave INDUS_VERSION unset for the latest release, or pick one that exists"
    fi
    fail "unsupported platform: the release has no indus_${version:-<version>}${suffix} for $os $arch${libc:+ (musl)}" \
      "the archives it has are listed in $base/checksums.txt"
  fi
  expected=${line%% *}
  archive=${line#* }

  say "Downloading $archive ..."
  download "$base/$archive" "$tmp/$archive" || fail "download failed: $base/$archive" "check the network or INDUS_DOWNLOAD_BASE, then run this again"

  actual=$(sha256_of "$tmp/$archive")
  if [ "$actual" != "$expected" ]; then
    fail "checksum mismatch for $archive: expected $expected, got $actual; nothing was installed" \
      "the download was corrupted or tampered with; run this again, and report it if it persists"
  fi

  mkdir "$tmp/x"
  tar -xzf "$tmp/$archive" -C "$tmp/x" indus 2>/dev/null || fail "$archive does not hold an indus binary; nothing was installed"
  chmod 755 "$tmp/x/indus"
  # Run it before installing: a build for the wrong CPU or libc fails here, not on the user's first run.
  if ! got=$("$tmp/x/indus" --version 2>&1); then
    fail "the downloaded binary does not run on this machine ($os $arch${libc:+ musl}); nothing was installed: $(printf '%s' "$got" | head -n 3)" \
      "${libc:+musl builds need the C++ runtime: apk add libstdc++ libgcc}"
  fi

  mkdir -p "$dir" 2>/dev/null || fail "cannot create $dir" "choose another folder with INDUS_INSTALL_DIR=... or run as a user who can write there"
  [ -w "$dir" ] || fail "cannot write to $dir" "choose another folder with INDUS_INSTALL_DIR=... or run with sudo"
  # Copy beside the target, then rename: replacing a running indus never leaves half a file.
  if ! { cp "$tmp/x/indus" "$dir/.indus.new.$$" && mv -f "$dir/.indus.new.$$" "$dir/indus"; }; then
    rm -f "$dir/.indus.new.$$"
    fail "could not install into $dir"
  fi

  say "Installed $got"
  say "  to $dir/indus (checksum verified: $archive)"
  say ""
  case ":${PATH:-}:" in
    *":$dir:"*) ;;
    *)
      say "$dir is not on your PATH. Add it (e.g. in ~/.profile):"
      say "  export PATH=\"$dir:\$PATH\""
      say ""
      ;;
  esac
  say "Next steps:"
  say "  indus --version"
  say "  indus mock-server &                 # a local target for the examples"
  say "  indus run examples/basic.yaml       # plans: https://github.com/$INDUS_REPO/tree/main/examples"
  say "  indus --help"
}

main "$@"
