#!/usr/bin/env python3
"""A small HTTP/1.1 target to aim a first Barrage test at: keep-alive, one write per answer, no
Nagle delay, standard library only.

    python3 bench/demo_target.py 8081              # answers 200 "ok" on every path
    python3 bench/demo_target.py 8081 --delay 0.01 # ... after 10 ms (a service with some work to do)

It also plays a small shop for scenario tests (README, docs/api.md "Scenarios"):
    GET  /items?page=N   200 {"items": [...]}
    POST /login          200 {"token": "..."} for a JSON body with "email" and "password"
    POST /orders         201 {"id": "N", "status": "NEW"}; needs "Authorization: Bearer <token from /login>"
                         and an Idempotency-Key never used before (else 401 or 409)
    GET  /orders/N       200 {"id": "N", "status": "NEW"}, 404 for an unknown order

It listens on 127.0.0.1 only. Python's own `python3 -m http.server` is a poor first target: it
speaks HTTP/1.0 and closes every connection (each request pays a new connection, and its listen
queue of 5 overflows under 50 users), and with --protocol HTTP/1.1 it writes headers and body
separately, so Nagle's algorithm and delayed ACKs add ~40 ms to every answer.
"""
import argparse
import asyncio
import json
import socket
import uuid

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n"
REMEMBERED = 1_000_000  # tokens, keys and orders kept; the oldest are forgotten beyond it


class Shop:
    """The state behind the shop paths: issued tokens, used idempotency keys, placed orders."""

    def __init__(self):
        self.tokens = {}
        self.keys = {}
        self.orders = {}
        self.counter = 0

    def remember(self, table, key, value=True):
        table[key] = value
        if len(table) > REMEMBERED:
            del table[next(iter(table))]

    def answer(self, method, target, headers, body):
        path, _, _query = target.partition("?")
        if method == "GET" and path == "/items":
            return 200, {"items": [{"id": i, "name": f"item {i}"} for i in range(1, 4)]}
        if method == "POST" and path == "/login":
            try:
                credentials = json.loads(body or b"{}")
            except ValueError:
                return 400, {"error": "the body is not JSON"}
            if not credentials.get("email") or not credentials.get("password"):
                return 401, {"error": "email and password are required"}
            self.counter += 1
            token = f"t{self.counter}-{uuid.uuid4().hex[:12]}"
            self.remember(self.tokens, token)
            return 200, {"token": token}
        if method == "POST" and path == "/orders":
            auth = headers.get("authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in self.tokens:
                return 401, {"error": "unknown or missing bearer token"}
            key = headers.get("idempotency-key", "")
            if not key or key in self.keys:
                return 409, {"error": "Idempotency-Key missing or already used"}
            self.remember(self.keys, key)
            self.counter += 1
            order = str(self.counter)
            self.remember(self.orders, order)
            return 201, {"id": order, "status": "NEW"}
        if method == "GET" and path.startswith("/orders/"):
            order = path[len("/orders/"):]
            if order in self.orders:
                return 200, {"id": order, "status": "NEW"}
            return 404, {"error": "no such order"}
        return None


def json_answer(status, document):
    body = json.dumps(document).encode()
    reason = {200: "OK", 201: "Created", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 409: "Conflict"}
    return (f"HTTP/1.1 {status} {reason.get(status, 'Status')}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def serve(reader, writer, delay, shop):
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            close = False
            headers = {}
            lines = head.split(b"\r\n")
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                headers[name.decode("latin-1")] = value.strip().decode("latin-1")
                if name == b"content-length":
                    length = int(value.strip())
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            body = await reader.readexactly(length) if length else b""
            if delay:
                await asyncio.sleep(delay)
            method, _, rest = lines[0].decode("latin-1").partition(" ")
            shop_answer = shop.answer(method, rest.rpartition(" ")[0], headers, body)
            writer.write(ANSWER if shop_answer is None else json_answer(*shop_answer))
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
    shop = Shop()
    server = await asyncio.start_server(lambda r, w: serve(r, w, args.delay, shop), "127.0.0.1", args.port, backlog=4096)
    print(f"demo target on http://127.0.0.1:{args.port}/ (delay {args.delay}s); Ctrl-C stops it", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
