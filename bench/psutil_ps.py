#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

"""psutil_ps: list the processes with psutil, as
`ps -eo pid,ppid,pgid,sid,uid,euid,gid,egid,comm' and
`taskdiag -a -s base,cred' do.

psutil.process_iter() reads pid, ppid, name and status (stat) and the
user and group IDs (status) of each process; psutil has no process group
or session, so they come from os.getpgid() and os.getsid().  Run with the
system python (/usr/bin/python3) and Debian's python3-psutil.  With
--start, only start and import psutil (the fixed cost, for reference).
"""

import os
import sys

import psutil

ATTRS = ['pid', 'ppid', 'name', 'status', 'uids', 'gids']


def main():
    lines = []
    for proc in psutil.process_iter(ATTRS):
        info = proc.info
        pid = info['pid']
        try:
            pgid = os.getpgid(pid)
            sid = os.getsid(pid)
        except OSError:
            continue    # gone
        uids = info['uids']
        gids = info['gids']
        if uids is None or gids is None:
            continue    # not readable
        lines.append('%d %d %d %d %d %d %d %d %s %s' % (
            pid, info['ppid'] or 0, pgid, sid, uids.real, uids.effective,
            gids.real, gids.effective, info['status'], info['name']))
    lines.append('')
    sys.stdout.write('\n'.join(lines))


if __name__ == '__main__':
    if sys.argv[1:] != ['--start']:
        main()
