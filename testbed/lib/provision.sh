#!/bin/bash
# Runs as PID 1 of a fresh testbed instance, after pivot_root into its copy-on-write root: provisions the payload
# (user, login shell, sudoers, /signaling, clock and power stand-ins, payload_exec, install.sh, setup.sh), then
# becomes its SSH server. Every write lands in the instance's overlay upper dir; the host's / is never changed.
# Inputs: /run/sigkit-stage/ (config, keys, payload files), prepared by payload-sandbox up.
set -euo pipefail
stage=/run/sigkit-stage
# shellcheck source=/dev/null
. "$stage/config"
export PATH=$INSIDE_PATH LANG=C.UTF-8 HOME=/root
umask 022

fail() {
  printf 'provision: %s\n' "$*" >&2
  exit 1
}

# Runs with the reduced capability bounding set (INSIDE_CAPS): make sure, before any payload code runs.
bounding=$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)
(((16#$bounding >> 21) & 1)) && fail "CAP_SYS_ADMIN is still in the bounding set ($bounding)"

# Host name (set by the instance's init), resolvable so that sudo does not warn.
printf '%s\n' "$O_name" >/etc/hostname
sed -i '/^127\.0\.1\.1[[:space:]]/d' /etc/hosts
printf '127.0.1.1\t%s\n' "$O_name" >>/etc/hosts

# Login shell: bash, dash (a POSIX sh), or busybox ash through an /bin/ash link; listed in /etc/shells.
case $O_shell in
  bash) login_shell=/bin/bash ;;
  dash) login_shell=/bin/dash ;;
  ash)
    bb=$(command -v busybox) || fail "busybox is missing"
    if [[ -L /bin ]]; then ln -sfn "$bb" /usr/bin/ash; else ln -sfn "$bb" /bin/ash; fi
    login_shell=/bin/ash
    ;;
  *) fail "unknown shell $O_shell" ;;
esac
[[ -x $login_shell ]] || fail "login shell $login_shell is missing"
for s in "$login_shell" "/usr$login_shell"; do
  if [[ -x $s ]] && ! grep -qxF "$s" /etc/shells; then printf '%s\n' "$s" >>/etc/shells; fi
done

# The signaling user: key login only ('*', not a locked '!', which sshd and Dropbear refuse).
if getent passwd "$O_user" >/dev/null; then
  usermod -s "$login_shell" "$O_user"
else
  useradd -m -s "$login_shell" "$O_user"
fi
usermod -p '*' "$O_user"
if [[ $O_sudo == password ]]; then
  printf '%s:%s\n' "$O_user" "$(cat "$stage/password")" | chpasswd
fi
group=$(id -gn "$O_user")
home=$(getent passwd "$O_user" | cut -d: -f6)
[[ -d $home ]] || install -d -m 0755 -o "$O_user" -g "$group" "$home"
install -d -m 0700 -o "$O_user" -g "$group" "$home/.ssh"
install -m 0600 -o "$O_user" -g "$group" "$stage/authorized_keys" "$home/.ssh/authorized_keys"

# Signaling API conventions.
install -d -m 0755 -o root -g root /signaling
install -d -m 0755 -o "$O_user" -g "$group" /signaling/inbox /signaling/window_configs

# Clock and power commands: recording stand-ins first in root's PATH and in sudo's secure_path.
install -d -m 0755 /usr/local/sbin /etc/sigkit-testbed
for c in date timedatectl hwclock shutdown halt poweroff reboot; do
  install -m 0755 "$stage/standin" "/usr/local/sbin/$c"
done
install -d -m 0755 "$(dirname "$CALLS_LOG")"
: >"$CALLS_LOG"
chmod 0644 "$CALLS_LOG"
if [[ $O_halt == yes ]]; then : >/etc/sigkit-testbed/halt-on-shutdown; fi

# Sudo: the signaling user may run the recording stand-ins as root (with any arguments: the bus runs `date -s @N`,
# `shutdown -h now`, ...) and nothing else; the mode decides only password and TTY. No `ALL`: root inside is a
# reduced-capability root, but it can still read every file of the overlay, including the host's.
rm -f /etc/sudoers.d/sigkit-testbed
if [[ $O_user != root ]]; then
  for g in sudo admin wheel; do gpasswd -d "$O_user" "$g" >/dev/null 2>&1 || true; done
  aliases='Cmnd_Alias SIGKIT_CLOCK = /usr/local/sbin/date, /usr/local/sbin/hwclock, /usr/local/sbin/timedatectl
Cmnd_Alias SIGKIT_POWER = /usr/local/sbin/shutdown, /usr/local/sbin/halt, /usr/local/sbin/poweroff, /usr/local/sbin/reboot'
  case $O_sudo in
    passwordless) rules="$aliases
$O_user ALL=(root) NOPASSWD: SIGKIT_CLOCK, SIGKIT_POWER" ;;
    password) rules="$aliases
$O_user ALL=(root) PASSWD: SIGKIT_CLOCK, SIGKIT_POWER" ;;
    requiretty) rules="$aliases
Defaults:$O_user requiretty
$O_user ALL=(root) NOPASSWD: SIGKIT_CLOCK, SIGKIT_POWER" ;;
    none) rules='' ;;
    *) fail "unknown sudo mode $O_sudo" ;;
  esac
  if [[ -n $rules ]]; then printf '# sigkit testbed: the clock and power stand-ins only\n%s\n' "$rules" >/etc/sudoers.d/sigkit-testbed; fi
  if [[ -f /etc/sudoers.d/sigkit-testbed ]]; then
    chmod 0440 /etc/sudoers.d/sigkit-testbed
    visudo -cqf /etc/sudoers.d/sigkit-testbed || fail "sudoers drop-in rejected by visudo"
  fi
fi

# The SSH server's own configuration and fresh host keys.
if [[ $O_netns == yes ]]; then listen_host=0.0.0.0 listen_port=22; else listen_host=127.0.0.1 listen_port=$O_port; fi
case $O_server in
  openssh)
    rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
    for t in ed25519 ecdsa; do
      install -m 0600 "$stage/hostkeys/ssh_host_${t}_key" "/etc/ssh/ssh_host_${t}_key"
      install -m 0644 "$stage/hostkeys/ssh_host_${t}_key.pub" "/etc/ssh/ssh_host_${t}_key.pub"
    done
    install -d -m 0755 /run/sshd
    if [[ $O_user == root ]]; then root_login=prohibit-password; else root_login=no; fi
    {
      printf '# sshd_config of sigkit testbed instance %s\n' "$O_name"
      printf 'ListenAddress %s:%s\n' "$listen_host" "$listen_port"
      printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\n'
      printf 'PidFile none\nUsePAM no\nPubkeyAuthentication yes\nPasswordAuthentication no\n'
      printf 'KbdInteractiveAuthentication no\nPermitRootLogin %s\n' "$root_login"
      printf 'AuthorizedKeysFile .ssh/authorized_keys\nUseDNS no\nPrintMotd no\nX11Forwarding no\n'
      printf 'MaxStartups 100:30:200\nMaxSessions 64\nAcceptEnv LANG LC_*\nLogLevel INFO\n'
      if [[ $O_sftp == yes ]]; then printf 'Subsystem sftp /usr/lib/openssh/sftp-server\n'; fi
    } >/etc/ssh/sshd_config
    server=(/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config)
    /usr/sbin/sshd -t -f /etc/ssh/sshd_config || fail "sshd rejected its configuration"
    ;;
  dropbear)
    install -d -m 0755 /etc/dropbear
    rm -f /etc/dropbear/dropbear_*_host_key
    server=(/usr/sbin/dropbear -F -E -s -P /run/dropbear.pid -p "$listen_host:$listen_port")
    for t in ed25519 ecdsa; do
      install -m 0600 "$stage/hostkeys/dropbear_${t}_host_key" "/etc/dropbear/dropbear_${t}_host_key"
      server+=(-r "/etc/dropbear/dropbear_${t}_host_key")
    done
    if [[ $O_user != root ]]; then server+=(-w); fi
    # Dropbear serves SFTP by running /usr/lib/sftp-server when it exists: hide it for --no-sftp.
    if [[ $O_sftp != yes ]]; then rm -f /usr/lib/sftp-server /usr/libexec/sftp-server; fi
    ;;
  *) fail "unknown server $O_server" ;;
esac

# The payload: payload_exec root:root 0755, then the reference's install.sh, then the variant's setup.sh.
install -m 0755 -o root -g root "$stage/payload_exec" /usr/bin/payload_exec
run_hook() {
  local hook=$1
  [[ -f $hook ]] || return 0
  printf 'provision: running %s\n' "${hook#"$stage"/}" >&2
  chmod 0755 "$hook"
  if head -c 2 "$hook" | grep -q '^#!'; then
    (cd "$(dirname "$hook")" && SIGKIT_USER=$O_user "$hook") || fail "${hook#"$stage"/} failed (status $?)"
  else
    (cd "$(dirname "$hook")" && SIGKIT_USER=$O_user sh "$hook") || fail "${hook#"$stage"/} failed (status $?)"
  fi
}
run_hook "$stage/reference/install.sh"
run_hook "$stage/variant/setup.sh"

# Boot: start what the payload enabled for boot, as its init system would. Only the OORT agent's systemd unit
# (oort-agent.service linked in multi-user.target.wants, by the reference's install.sh) is honoured, and only with a
# network namespace of the instance's own (--netns): without one, 127.0.0.1:2005 would be the host's port, shared
# with every other instance, and a payload without the agent would find another's.
unit=/etc/systemd/system/multi-user.target.wants/oort-agent.service
if [[ -e $unit ]]; then
  if [[ $O_netns == yes ]]; then
    exec_start=$(sed -n 's/^ExecStart=//p' "$unit" | head -n 1)
    read -r -a agent <<<"$exec_start"
    if ((${#agent[@]})) && [[ -x ${agent[0]} ]]; then
      printf 'provision: boot: starting %s (oort-agent.service)\n' "${agent[0]}" >&2
      setsid "${agent[@]}" </dev/null >>/var/log/oort-agent.log 2>&1 &
      # Ready before the SSH server, so that a kit connecting at once finds it (at most 5 s).
      for _ in {1..50}; do
        if (exec 3<>/dev/tcp/127.0.0.1/2005) 2>/dev/null; then break; fi
        sleep 0.1
      done
    else
      printf 'provision: boot: oort-agent.service has no executable ExecStart (%s)\n' "$exec_start" >&2
    fi
  else
    printf 'provision: boot: oort-agent.service not started: the instance shares the host network (use --netns)\n' >&2
  fi
fi

rm -rf "$stage"
cd /
# PID 1 of the instance: the SSH server, with the reduced bounding set this script runs with (no CAP_SYS_TIME, no
# CAP_SYS_ADMIN, ...), which every session, sudo included, inherits.
exec "${server[@]}"
