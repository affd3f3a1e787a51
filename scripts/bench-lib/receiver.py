"""A minimal HTTP/1.1 webhook receiver (asyncio, keep-alive) that records when each post arrived and
the event id in its body. Light on purpose so it is not the bottleneck of the throughput figure; it
runs in its own process and its CPU time is reported next to the figure.

Usage: receiver.py PORT_FILE OUT_FILE   (writes the bound port to PORT_FILE; on SIGTERM writes
OUT_FILE: {"arrivals": [[epoch_seconds, event_id], ...], "cpu_seconds": n})."""
import asyncio
import json
import os
import re
import resource
import signal
import socket
import sys
import time

ID = re.compile(rb'"id"\s*:\s*"([^"]*)"')
RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
arrivals = []


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:].strip())
            body = await reader.readexactly(length) if length else b""
            now = time.time()
            match = ID.search(body)
            arrivals.append((now, match.group(1).decode() if match else ""))
            writer.write(RESPONSE)
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port_file, out_file):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = await asyncio.start_server(handle, sock=sock, backlog=1024)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(sock.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(out_file, "w") as f:
        json.dump({"arrivals": arrivals, "cpu_seconds": usage.ru_utime + usage.ru_stime}, f)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
