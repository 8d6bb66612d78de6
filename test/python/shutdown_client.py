"""Autobahn|Python (Debian's python3-autobahn) against a server that shuts down.

Usage: shutdown_client.py URL REALM
Calls drain.slow, drain.stuck and drain.closing at once; when drain.closing
answers (the server is draining by then) it calls drain.quick. Prints one line
"RESULT: {json}" with the outcome of each call, in the order they arrived,
and the reason the session was left with.
"""
import asyncio
import json
import sys

from autobahn.asyncio.wamp import ApplicationRunner, ApplicationSession
from autobahn.wamp.exception import ApplicationError

url, realm = sys.argv[1:3]
results = {"events": []}


def record(name, outcome):
    results["events"].append(name + ":" + outcome)


class Client(ApplicationSession):
    async def onJoin(self, details):
        async def call(name, then=None):
            try:
                await self.call("drain." + name)
                record(name, "result")
                if then is not None:
                    await then()
            except ApplicationError as error:
                record(name, error.error)
            except Exception as error:  # report, do not hang
                record(name, "exception " + repr(error))

        async def quick():
            await call("quick")

        await asyncio.gather(call("slow"), call("stuck"), call("closing", quick))

    def onLeave(self, details):
        results["left"] = details.reason
        self.disconnect()

    def onDisconnect(self):
        results["events"].append("disconnected")
        asyncio.get_event_loop().stop()


ApplicationRunner(url, realm).run(Client)
print("RESULT: " + json.dumps(results), flush=True)
