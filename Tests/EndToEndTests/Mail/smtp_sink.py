"""A local SMTP sink for the mail end-to-end tests (Debian's python3-aiosmtpd).

usage: smtp_sink.py FOLDER PORTFILE
Listens on 127.0.0.1 on a free port, writes that port to PORTFILE once it accepts connections,
and stores each message received as FOLDER/N.eml (the bytes as sent, after the DATA dot
unstuffing). It stops on SIGTERM, when its parent goes away, or after 120 seconds at most, so a
test that dies never leaves it running.
"""

import os
import signal
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        path = os.path.join(self.folder, "%d.eml" % n)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        with open(os.path.join(self.folder, "%d.rcpt" % n), "w") as f:
            f.write("\n".join(envelope.rcpt_tos))
        return "250 OK"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def main():
    folder, portfile = sys.argv[1], sys.argv[2]
    parent = os.getppid()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for _ in range(20):
        port = free_port()
        controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
        try:
            controller.start()
            break
        except Exception:
            continue
    else:
        sys.exit("no free port")
    with open(portfile + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(portfile + ".tmp", portfile)
    deadline = time.monotonic() + 120
    while not stop.is_set() and time.monotonic() < deadline and os.getppid() == parent:
        stop.wait(0.2)
    controller.stop()


if __name__ == "__main__":
    main()
