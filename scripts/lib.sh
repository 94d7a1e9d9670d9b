# Shared by scripts/test and scripts/demo: logging and installing missing Debian packages.
log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# apt_install PKG...: installs the given Debian packages (apt-get update first), quietly.
apt_install() {
  [ "$#" -gt 0 ] || return 0
  command -v apt-get >/dev/null 2>&1 || die "missing $* and no apt-get here; install them by hand"
  log "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "$@" ca-certificates >/dev/null
}

# mvn_plain ARG...: mvn without colours, its stderr on stdout. Debian's Maven 3.8 writes ESC[0m codes to both streams
# even with -B -q and -Dstyle.color=never; logs (CI, scripts/dist) get plain text. The exit code is mvn's (pipefail).
mvn_plain() {
  ( set -o pipefail; mvn -Dstyle.color=never "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' )
}

# require_jdk_and_maven: a JDK 17+ and Maven, installed with apt-get when missing.
require_jdk_and_maven() {
  local missing=()
  command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)  # JDK 17 on Debian 12, 21 on 13
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  apt_install "${missing[@]}"
  command -v java >/dev/null 2>&1 || die "java not found (need JDK 17 or newer)"
  command -v mvn >/dev/null 2>&1 || die "mvn not found (need Maven 3.8+)"
  local major
  major=$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')
  [ -n "$major" ] || die "javac not found: a JDK (not only a JRE) 17 or newer is needed"
  [ "$major" -ge 17 ] || die "JDK $major found, need 17 or newer"
}
