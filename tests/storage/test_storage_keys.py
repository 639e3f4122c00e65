"""Listing a tenant's keys, which backups and erasure rely on, on both backends."""

from __future__ import annotations

from samverka.modules.storage import Storage


def test_keys_lists_only_the_prefix_sorted(storage: Storage) -> None:
    for key in ("kommun_1460/forums/b/2.pdf", "kommun_1460/forums/a/1.pdf", "kommun_1461/x/y.pdf"):
        storage.put(key, b"data", "application/pdf")

    assert storage.keys("kommun_1460/") == [
        "kommun_1460/forums/a/1.pdf",
        "kommun_1460/forums/b/2.pdf",
    ]
    assert storage.keys("kommun_1438/") == []
