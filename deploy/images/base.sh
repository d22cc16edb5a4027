#!/usr/bin/env bash
# base.sh - make the local Debian base image for machines that cannot pull from an image registry.
#
#   bash deploy/images/base.sh [NAME]        (default NAME: kinerja-local/debian:bookworm)
#
# debootstrap (minbase + python3, python3-venv, ca-certificates) from the Debian mirror this
# machine's apt is configured with, then `docker import`. The bootstrap directory is removed
# afterwards, whatever happens. Does nothing when the image exists (KINERJA_REBUILD_BASE=1 forces).
set -euo pipefail

NAME="${1:-kinerja-local/debian:bookworm}"
SUITE="${DEBIAN_SUITE:-bookworm}"
log() { printf 'base.sh: %s\n' "$*" >&2; }

if [[ -z ${KINERJA_REBUILD_BASE:-} ]] && docker image inspect "$NAME" >/dev/null 2>&1; then
    log "$NAME exists"
    exit 0
fi
command -v debootstrap >/dev/null 2>&1 || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }

# The first Debian mirror in apt's sources: deb822 (*.sources: "URIs: ...") or one-line ("deb URL suite ...").
mirror="${DEBIAN_MIRROR:-}"
if [[ -z $mirror ]]; then
    mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
        /^Types:/ {deb = ($0 ~ /[[:space:]]deb([[:space:]]|$)/)}
        /^URIs:/ && deb && $2 ~ /\/debian\/?$/ {print $2; exit}')
fi
if [[ -z $mirror ]]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}')
fi
[[ -n $mirror ]] || { log "no Debian mirror in /etc/apt/sources.list*; set DEBIAN_MIRROR"; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/kinerja-base.XXXXXX")
cleanup() { # debootstrap mounts /proc (and more) inside the directory: unmount before removing
    awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
    rm -rf --one-file-system "$dir" "$dir.log"
}
trap cleanup EXIT
started=$(date +%s)
log "debootstrap $SUITE from $mirror"
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates "$SUITE" "$dir" "$mirror" >"$dir.log" 2>&1 \
    || { tail -n 20 "$dir.log" >&2; exit 1; }
# Nothing a container needs: apt's downloaded packages and lists, documentation.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* "$dir"/usr/share/man/*
tar -C "$dir" --one-file-system -c . | docker import --change 'CMD ["/bin/bash"]' - "$NAME" >/dev/null
log "$NAME imported in $(( $(date +%s) - started )) s ($(docker image inspect -f '{{.Size}}' "$NAME" | awk '{printf "%d MB", $1/1e6}'))"
