#!/usr/bin/env python3
"""A small HTTP/1.1 target to aim a first Barrage test at: keep-alive, one write per answer, no
Nagle delay, standard library only.

    python3 bench/demo_target.py 8081              # answers 200 "ok" on every path
    python3 bench/demo_target.py 8081 --delay 0.01 # ... after 10 ms (a service with some work to do)

It listens on 127.0.0.1 only. Python's own `python3 -m http.server` is a poor first target: it
speaks HTTP/1.0 and closes every connection (each request pays a new connection, and its listen
queue of 5 overflows under 50 users), and with --protocol HTTP/1.1 it writes headers and body
separately, so Nagle's algorithm and delayed ACKs add ~40 ms to every answer.
"""
import argparse
import asyncio
import socket

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"


async def serve(reader, writer, delay):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            close = False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value.strip())
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            if length:
                await reader.readexactly(length)
            if delay:
                await asyncio.sleep(delay)
            writer.write(ANSWER)
            await writer.drain()
            if close or head.startswith(b"HEAD "):
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    finally:
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description="a keep-alive HTTP/1.1 target for Barrage on 127.0.0.1")
    parser.add_argument("port", type=int, nargs="?", default=8081)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each answer")
    args = parser.parse_args()
    server = await asyncio.start_server(lambda r, w: serve(r, w, args.delay), "127.0.0.1", args.port, backlog=4096)
    print(f"demo target on http://127.0.0.1:{args.port}/ (delay {args.delay}s); Ctrl-C stops it", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
