"""The embedded SQLite broker keeps every delivered message; the hourly purge deletes them."""

from kombu import Connection

from backoffice.system.services import broker_delivered_purge


def test_delivered_messages_are_deleted_and_waiting_ones_kept(tmp_path):
    url = f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    with Connection(url) as connection:
        queue = connection.SimpleQueue("work")
        for number in range(5):
            queue.put({"n": number})
        for _ in range(3):
            queue.get(timeout=5).ack()

        assert broker_delivered_purge(url) == 3

        assert [queue.get(timeout=5).payload["n"] for _ in range(2)] == [3, 4]
        queue.close()
    assert broker_delivered_purge(url) == 2


def test_other_brokers_and_a_fresh_file_have_nothing_to_purge(tmp_path):
    assert broker_delivered_purge("redis://127.0.0.1:6379/0") == 0
    assert broker_delivered_purge(f"sqla+sqlite:///{tmp_path / 'new.sqlite3'}") == 0
