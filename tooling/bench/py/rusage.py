"""Runs a command and reports what it cost: CPU seconds (user + system) and peak RSS, measured by the kernel
(wait4), for any program (C, Python, Node, Zeek) alike. The command's stdout and stderr pass through; the last line
on stderr is JSON: {"code": …, "cpu_s": …, "max_rss_kb": …}. SIGTERM is forwarded to the command."""
import json
import os
import signal
import subprocess
import sys

child = subprocess.Popen(sys.argv[1:])
signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
signal.signal(signal.SIGINT, lambda *_: child.send_signal(signal.SIGINT))
while True:
    try:
        _, status, usage = os.wait4(child.pid, 0)
        break
    except InterruptedError:
        continue
code = os.waitstatus_to_exitcode(status)
sys.stdout.flush()
sys.stderr.write("\n" + json.dumps({"code": code, "cpu_s": usage.ru_utime + usage.ru_stime, "max_rss_kb": usage.ru_maxrss}) + "\n")
sys.stderr.flush()
