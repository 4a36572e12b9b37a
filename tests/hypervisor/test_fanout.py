"""The live-feed hub: one subscription per process, fanned out to screens in memory."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from hypervisor import fanout
from hypervisor.fanout import RESYNC, RESYNC_CLOSE_CODE, LiveHub, ScreenFeed


class Screen:
    """The socket side of a feed: records what is sent; `gate` held shut makes it slow."""

    def __init__(self, *, commune: str | None = None, limit: int = fanout.QUEUE_LIMIT) -> None:
        self.received: list[str] = []
        self.closed: int | None = None
        self.gate = asyncio.Event()
        self.gate.set()
        self.feed = ScreenFeed(self.send, self.close, commune=commune, limit=limit)

    async def send(self, text: str) -> None:
        await self.gate.wait()
        self.received.append(text)

    async def close(self, code: int) -> None:
        self.closed = code


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(scenario(), 10))


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def local_hub() -> LiveHub:
    return LiveHub(asyncio.get_running_loop(), None)


def test_a_delta_reaches_every_attached_screen_once() -> None:
    async def scenario() -> list[list[str]]:
        hub = local_hub()
        screens = [Screen() for _ in range(3)]
        for screen in screens:
            hub.attach(screen.feed)
            screen.feed.start()
        hub.dispatch("", '{"seq": 1}')
        await settle()
        return [screen.received for screen in screens]

    assert run(scenario) == [['{"seq": 1}']] * 3


def test_a_detached_screen_receives_nothing_more() -> None:
    async def scenario() -> list[str]:
        hub = local_hub()
        screen = Screen()
        hub.attach(screen.feed)
        screen.feed.start()
        hub.dispatch("", "first")
        hub.detach(screen.feed)
        hub.dispatch("", "second")
        await settle()
        return screen.received

    assert run(scenario) == ["first"]


def test_an_elected_officials_screen_receives_its_communes_deltas_and_removals_only() -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        hub = local_hub()
        staff, official = Screen(), Screen(commune="21231")
        for screen in (staff, official):
            hub.attach(screen.feed)
            screen.feed.start()
        hub.dispatch("21231", "in Dijon")
        hub.dispatch("21515", "in Quetigny")
        hub.dispatch("", "a light point")
        hub.dispatch("*", "a removal")
        await settle()
        return staff.received, official.received

    staff, official = run(scenario)
    assert staff == ["in Dijon", "in Quetigny", "a light point", "a removal"]
    assert official == ["in Dijon", "a removal"]


def test_a_slow_screen_does_not_delay_the_others() -> None:
    async def scenario() -> tuple[int, int]:
        hub = local_hub()
        slow, fast = Screen(limit=100), Screen(limit=100)
        slow.gate.clear()  # its socket does not drain
        for screen in (slow, fast):
            hub.attach(screen.feed)
            screen.feed.start()
        for number in range(50):
            hub.dispatch("", str(number))
        await settle()
        return len(fast.received), len(slow.received)

    assert run(scenario) == (50, 0)


def test_a_screen_that_overflows_its_queue_is_told_to_resync_and_closed() -> None:
    async def scenario() -> tuple[Screen, Screen, LiveHub]:
        hub = local_hub()
        slow, fast = Screen(limit=5), Screen(limit=5)
        slow.gate.clear()
        for screen in (slow, fast):
            hub.attach(screen.feed)
            screen.feed.start()
        for number in range(8):
            hub.dispatch("", str(number))
            await settle()  # the fast screen keeps up
        assert slow.feed.queue.qsize() <= 5  # bounded: nothing piles up for it
        slow.gate.set()  # the socket drains what it had in flight, then the resync
        await settle()
        return slow, fast, hub

    slow, fast, hub = run(scenario)
    assert fast.received == [str(number) for number in range(8)]
    assert slow.received == ["0", RESYNC]
    assert json.loads(RESYNC) == {"type": "resync"}
    assert slow.closed == RESYNC_CLOSE_CODE
    assert hub.feeds == {fast.feed}


def test_the_first_subscription_of_a_process_does_not_resync_its_screens() -> None:
    async def scenario() -> Screen:
        hub = local_hub()
        screen = Screen()
        hub.attach(screen.feed)
        screen.feed.start()
        hub.on_subscribed()
        hub.dispatch("", "delta")
        await settle()
        return screen

    screen = run(scenario)
    assert (screen.received, screen.closed) == (["delta"], None)


def test_a_subscription_regained_after_a_loss_tells_every_screen_to_resync() -> None:
    async def scenario() -> tuple[list[Screen], LiveHub]:
        hub = local_hub()
        screens = [Screen(), Screen(commune="21231")]
        for screen in screens:
            hub.attach(screen.feed)
            screen.feed.start()
        hub.on_subscribed()
        hub.on_lost()  # Redis restarted: whatever was published meanwhile is gone
        assert not hub.subscribed.is_set()
        hub.on_subscribed()
        await settle()
        return screens, hub

    screens, hub = run(scenario)
    assert [(screen.received, screen.closed) for screen in screens] == [
        ([RESYNC], RESYNC_CLOSE_CODE)
    ] * 2
    assert hub.feeds == set()
    assert hub.subscribed.is_set()


def test_a_screen_served_before_the_first_subscription_is_resynced_when_it_comes() -> None:
    async def scenario() -> tuple[bool, Screen]:
        hub = LiveHub(asyncio.get_running_loop(), "redis://127.0.0.1:1/0")  # nothing there
        screen = Screen()
        hub.attach(screen.feed)
        subscribed = await hub.wait_subscribed(timeout=0.05)
        screen.feed.start()
        assert hub.task is not None
        hub.task.cancel()
        hub.on_subscribed()  # as when Redis answers at last
        await settle()
        return subscribed, screen

    subscribed, screen = run(scenario)
    assert not subscribed
    assert (screen.received, screen.closed) == ([RESYNC], RESYNC_CLOSE_CODE)


def test_without_redis_a_delta_published_from_another_thread_reaches_this_process() -> None:
    async def scenario() -> list[str]:
        screen = Screen()
        fanout.hub().attach(screen.feed)
        screen.feed.start()
        thread = threading.Thread(target=fanout.publish, kwargs={"audience": "", "text": "x"})
        thread.start()
        await asyncio.get_running_loop().run_in_executor(None, thread.join)
        await settle()
        return screen.received

    assert run(scenario) == ["x"]


@pytest.mark.integration
def test_after_redis_restarts_the_hub_subscribes_again_and_screens_resync() -> None:
    from tests.private_redis import PrivateRedis

    private = PrivateRedis()

    async def until(check: Callable[[], bool], timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "not reached in time"
            await asyncio.sleep(0.02)

    def publish(text: str) -> None:
        import redis

        with redis.Redis.from_url(private.url) as client:
            client.publish(fanout.channel_name(private.url), f"\n{text}")

    async def scenario() -> tuple[Screen, Screen]:
        hub = LiveHub(asyncio.get_running_loop(), private.url)
        before = Screen()
        hub.attach(before.feed)
        assert await hub.wait_subscribed()
        before.feed.start()
        await asyncio.to_thread(publish, "before")
        await until(lambda: before.received == ["before"])
        await asyncio.to_thread(private.stop)
        await until(lambda: not hub.subscribed.is_set())
        await asyncio.to_thread(private.start)
        await until(lambda: before.closed is not None)
        after = Screen()  # the screen reconnecting with its last sequence number
        hub.attach(after.feed)
        assert await hub.wait_subscribed()
        after.feed.start()
        await asyncio.to_thread(publish, "after")
        await until(lambda: after.received == ["after"])
        assert hub.task is not None
        hub.task.cancel()
        return before, after

    with private:
        before, after = run(scenario)
    assert before.received == ["before", RESYNC]
    assert before.closed == RESYNC_CLOSE_CODE
    assert after.closed is None
