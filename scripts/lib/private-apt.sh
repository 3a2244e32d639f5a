# shellcheck shell=bash
# private-apt.sh: sourced by scripts/fetch-qemu-builds and scripts/fetch-libvirt-tests.
# A private apt configuration for one Debian suite: its own Dir::Etc (a one-line
# sources list), Dir::State, Dir::Cache and an EMPTY Dir::State::status, so nothing
# of the system's apt state (/etc/apt, /var/lib/apt, /var/cache/apt, the dpkg
# database) is read or written.
#
# The caller defines PROG and die(); optional overrides before detect_mirror:
#   QEMU_BUILDS_MIRROR   the Debian mirror (default: the system's, from /etc/apt)
#   QEMU_BUILDS_KEYRING  its keyring (default: that entry's Signed-By, else
#                        /usr/share/keyrings/debian-archive-keyring.gpg)

# Set MIRROR and KEYRING from the overrides or /etc/apt/sources.list{,.d}.
MIRROR="" KEYRING=""
detect_mirror() {
    local codename="" f line uris suites signed arr
    MIRROR=${QEMU_BUILDS_MIRROR:-}
    KEYRING=${QEMU_BUILDS_KEYRING:-}
    # shellcheck disable=SC1091
    [ -r /etc/os-release ] && codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
    if [ -z "$MIRROR" ]; then
        # deb822 .sources: take the first stanza listing the system codename.
        for f in /etc/apt/sources.list.d/*.sources; do
            [ -r "$f" ] || continue
            uris="" suites="" signed=""
            while IFS= read -r line || [ -n "$line" ]; do
                case $line in
                    URIs:*) read -r -a arr <<< "${line#URIs:}"; uris=${arr[0]:-} ;;
                    Suites:*) read -r -a arr <<< "${line#Suites:}"; suites=" ${arr[*]} " ;;
                    Signed-By:*) read -r signed _ <<< "${line#Signed-By:}" ;;
                    '')
                        if [ -n "$uris" ] && [[ $suites == *" $codename "* ]]; then break; fi
                        uris="" suites="" signed="" ;;
                esac
            done < "$f"
            if [ -n "$uris" ] && [ -n "$codename" ] && [[ $suites == *" $codename "* ]]; then
                MIRROR=${uris%% *}
                [ -z "$KEYRING" ] && [[ $signed == /* ]] && KEYRING=$signed
                break
            fi
        done
    fi
    if [ -z "$MIRROR" ]; then
        # one-line format: deb [opts] URI SUITE COMPONENTS...
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -r "$f" ] || continue
            line=$(grep -E "^[[:space:]]*deb[[:space:]].*[[:space:]]${codename:-bookworm}[[:space:]]" "$f" | head -n1 || true)
            [ -n "$line" ] || continue
            MIRROR=$(printf '%s\n' "$line" | sed -E 's/\[[^]]*\]//; s/^[[:space:]]*deb[[:space:]]+//; s/[[:space:]].*//')
            if [ -z "$KEYRING" ]; then
                signed=$(printf '%s\n' "$line" | sed -nE 's/.*signed-by=([^] ]+).*/\1/p')
                [[ $signed == /* ]] && KEYRING=$signed
            fi
            [ -n "$MIRROR" ] && break
        done
    fi
    MIRROR=${MIRROR:-http://deb.debian.org/debian}
    MIRROR=${MIRROR%/}
    KEYRING=${KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
    [ -r "$KEYRING" ] || die "keyring $KEYRING not readable (set QEMU_BUILDS_KEYRING)"
}

# write_apt_config TYPE SUITE WORK: a private apt configuration under WORK whose
# sources list is "TYPE [signed-by=KEYRING] MIRROR SUITE main" (TYPE deb or
# deb-src); prints the path of the file to export as APT_CONFIG.
write_apt_config() {
    local type=$1 suite=$2 work=$3
    mkdir -p "$work/etc/apt.conf.d" "$work/etc/preferences.d" "$work/etc/sources.list.d" \
             "$work/etc/trusted.gpg.d" "$work/state/lists/partial" \
             "$work/cache/archives/partial" "$work/log"
    : > "$work/state/status"
    printf '%s [signed-by=%s] %s %s main\n' "$type" "$KEYRING" "$MIRROR" "$suite" > "$work/etc/sources.list"
    cat > "$work/apt.conf" <<CONF
// private apt configuration of $PROG for Debian $suite: nothing of the
// system's apt state is read or written (Dir::Etc::parts is ours and empty).
Dir::Etc "$work/etc";
Dir::Etc::main "apt.conf";
Dir::Etc::parts "apt.conf.d";
Dir::Etc::sourcelist "sources.list";
Dir::Etc::sourceparts "sources.list.d";
Dir::Etc::preferences "preferences";
Dir::Etc::preferencesparts "preferences.d";
Dir::Etc::trusted "trusted.gpg";
Dir::Etc::trustedparts "trusted.gpg.d";
Dir::State "$work/state";
Dir::State::status "$work/state/status";
Dir::Cache "$work/cache";
Dir::Log "$work/log";
Acquire::Check-Valid-Until "false";
Acquire::Languages "none";
Acquire::Retries "3";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
APT::Install-Recommends "false";
APT::Install-Suggests "false";
APT::Sandbox::User "$(id -un)";
CONF
    printf '%s\n' "$work/apt.conf"
}

# apt_update SUITE LOG: apt-get update with the exported APT_CONFIG; dies with the
# log's tail when the suite cannot be fetched or verified.
apt_update() {
    local suite=$1 log=$2
    if ! apt-get -q update >>"$log" 2>&1 || grep -qE '^(W|E): .*(Failed to fetch|does not have a Release file|NO_PUBKEY|not signed)' "$log"; then
        tail -n 15 "$log" >&2
        die "$suite: apt-get update failed for '$MIRROR $suite' (suite unknown to the mirror, or keyring $KEYRING cannot verify it?)"
    fi
}
