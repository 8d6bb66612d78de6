"""A real Autobahn|Python client (Debian's python3-autobahn) driving the demo app.

Usage: autobahn_client.py URL REALM SERIALIZER
URL is ws://… for WebSocket or rs://… for RawSocket (TCP).
Prints one line "RESULT: {json}" with what the client saw.
"""
import asyncio
import json
import sys

from autobahn.asyncio.wamp import ApplicationRunner, ApplicationSession
from autobahn.wamp.exception import ApplicationError
from autobahn.wamp.serializer import CBORSerializer, JsonSerializer, MsgPackSerializer
from autobahn.wamp.types import CallOptions, PublishOptions, SubscribeOptions

url, realm, serializer_name = sys.argv[1:4]

if url.startswith("rs"):
    # Autobahn|Python 22.7.1's asyncio RawSocket client lacks `transport_details`, which its own
    # session reads on WELCOME (crossbario/autobahn-python#1592, fixed in #1593 after 22.7.1):
    # give it the property its WebSocket and Twisted protocols have.
    from autobahn.asyncio.rawsocket import WampRawSocketClientProtocol

    if not hasattr(WampRawSocketClientProtocol, "transport_details"):
        WampRawSocketClientProtocol.transport_details = property(lambda self: self._transport_details)

SERIALIZERS = {
    "json": [JsonSerializer()],
    "msgpack": [MsgPackSerializer()],
    "cbor": [CBORSerializer()],
    "json.batched": [JsonSerializer(batched=True)],
    "msgpack.batched": [MsgPackSerializer(batched=True)],
    "cbor.batched": [CBORSerializer(batched=True)],
    "default": None,
}

results = {}


class Client(ApplicationSession):
    async def onJoin(self, details):
        try:
            results["protocol"] = self._transport._serializer.SERIALIZER_ID + (
                ".batched" if getattr(self._transport._serializer, "_batched", False) else ""
            )
            results["session_is_int"] = isinstance(details.session, int)
            results["authrole"] = details.authrole
            results["add"] = await self.call("math.add", 2, 3)
            results["add_kw"] = await self.call("math.add", number1=40, number2=2)
            zodiac = await self.call("calendar.zodiac")
            results["zodiac"] = zodiac.kwresults
            playlist = await self.call("music.playlist")
            results["playlist"] = {"args": list(playlist.results), "kwargs": playlist.kwresults}
            try:
                await self.call("math.sqrt", "nine")
            except ApplicationError as error:
                results["error"] = {"uri": error.error, "kwargs": error.kwargs}
            try:
                await self.call("no.such.procedure")
            except ApplicationError as error:
                results["no_such_procedure"] = error.error
            progress = []
            liftoff = await self.call(
                "countdown_to_liftoff",
                options=CallOptions(on_progress=lambda *args, **kwargs: progress.append(kwargs.get("timeLeft"))),
            )
            results["progress"] = progress
            results["liftoff"] = liftoff.kwresults
            results["whoami_session_matches"] = (await self.call("whoami")).kwresults["session"] == details.session

            # Events: a prefix subscription, an event published by a procedure before its RESULT,
            # and a publication from this client that the server forwards.
            seen = []
            order = []

            def on_change(*args, **kwargs):
                info = kwargs.pop("details")
                order.append("event")
                seen.append({"args": list(args), "kwargs": kwargs, "topic": info.topic,
                             "publication_is_int": isinstance(info.publication, int)})

            subscription = await self.subscribe(on_change, "docs.changes",
                                                options=SubscribeOptions(match="prefix", details_arg="details"))
            results["subscription_is_int"] = isinstance(subscription.id, int)
            update = await self.call("docs.updateDocument", "readme", "from python")
            order.append("result")
            results["update"] = update.kwresults if hasattr(update, "kwresults") else update
            results["events"] = seen
            results["order"] = order
            await subscription.unsubscribe()
            publication = await self.publish("chat.room", "hello from python",
                                              options=PublishOptions(acknowledge=True, exclude_me=False))
            results["published_is_int"] = isinstance(publication.id, int)
        except Exception as error:  # report, do not hang
            results["exception"] = repr(error)
        self.leave()

    def onDisconnect(self):
        asyncio.get_event_loop().stop()


ApplicationRunner(url, realm, serializers=SERIALIZERS[serializer_name]).run(Client)
print("RESULT: " + json.dumps(results), flush=True)
