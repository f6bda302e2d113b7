#!/usr/bin/python3
"""A third-party client of Distillery, as most outside programs are: not Java.

It writes with librdkafka's defaults (Debian's python3-confluent-kafka; the default partitioner hashes keys with
CRC32, the Java client's with murmur2, so many records land on another partition than Distillery's own would
choose) and speaks the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) against the registry's
Confluent API, with the schemas the app registered at start (it never registers one of its own).

    librdkafka_client.py texts  --data DATA.jsonl [--limit N]     send texts (teacher label in metadata llm_label)
    librdkafka_client.py review --data DATA.jsonl [--idle 90]     answer every review request with the human label
    librdkafka_client.py check  --data DATA.jsonl [--limit N]     every text sent scored exactly once?

Needs Debian's python3-confluent-kafka and python3-avro (the Avro encoding is done with the Apache library, since
Debian has no fastavro for confluent_kafka's own serializer). Loopback only: --bootstrap and --registry default to
what ./distillery up starts.
"""
import argparse
import datetime
import io
import json
import struct
import sys
import time
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer

PREFIX = "distillery"


class Registry:
    """Schemas by subject and by id, from a Confluent-compatible registry."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        self.by_id = {}

    def _get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return json.load(response)

    def latest(self, subject):
        found = self._get(f"/subjects/{subject}/versions/latest")
        return found["id"], avro.schema.parse(found["schema"])

    def schema(self, schema_id):
        if schema_id not in self.by_id:
            self.by_id[schema_id] = avro.schema.parse(self._get(f"/schemas/ids/{schema_id}")["schema"])
        return self.by_id[schema_id]


def encode(schema_id, schema, record):
    out = io.BytesIO()
    out.write(struct.pack(">bI", 0, schema_id))
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return out.getvalue()


def decode(registry, value):
    magic, schema_id = struct.unpack(">bI", value[:5])
    if magic != 0:
        raise ValueError(f"not the Confluent wire format: magic byte {magic}")
    schema = registry.schema(schema_id)
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def rows(path, limit):
    out = []
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                if row.get("llm_label") and row.get("human_label"):
                    out.append(row)
            if limit and len(out) >= limit:
                break
    return out


def delivered(failures):
    def report(error, message):
        if error is not None:
            failures.append(error)

    return report


def send_texts(args, registry):
    schema_id, schema = registry.latest(f"{PREFIX}.texts.raw-value")
    # librdkafka defaults: the default partitioner (consistent_random: CRC32 of the key), nothing set.
    producer = Producer({"bootstrap.servers": args.bootstrap})
    failures = []
    now = datetime.datetime.now(datetime.timezone.utc)
    data = rows(args.data, args.limit)
    for row in data:
        record = {
            "id": row["id"],
            "text": row["text"],
            "source": "python-librdkafka",
            "created_at": None,
            "ingested_at": now,
            "metadata": {"llm_label": row["llm_label"]},
        }
        producer.produce(f"{PREFIX}.texts.raw", key=row["id"].encode(), value=encode(schema_id, schema, record),
                         on_delivery=delivered(failures))
        producer.poll(0)
    producer.flush(60)
    print(f"texts: sent {len(data)}, failed {len(failures)}")
    return 0 if not failures else 1


def review(args, registry):
    schema_id, schema = registry.latest(f"{PREFIX}.review.verdicts-value")
    human = {row["id"]: row["human_label"] for row in rows(args.data, 0)}
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "python-librdkafka-reviewer",
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe([f"{PREFIX}.review.requests"])
    producer = Producer({"bootstrap.servers": args.bootstrap})
    failures = []
    answered = set()
    last = time.time()
    while time.time() - last < args.idle:
        message = consumer.poll(1.0)
        if message is None or message.error() is not None or message.value() is None:
            continue
        request = decode(registry, message.value())
        if request["id"] in answered or request["id"] not in human:
            continue
        verdict = {"id": request["id"], "task": request["task"], "label": human[request["id"]], "skipped": False,
                   "reviewer": "python-librdkafka", "note": None, "decided_at": datetime.datetime.now(datetime.timezone.utc)}
        producer.produce(f"{PREFIX}.review.verdicts", key=request["id"].encode(),
                         value=encode(schema_id, schema, verdict), on_delivery=delivered(failures))
        producer.poll(0)
        answered.add(request["id"])
        last = time.time()
    producer.flush(60)
    consumer.close()
    print(f"review: answered {len(answered)} requests, failed {len(failures)}")
    return 0 if not failures else 1


def check(args, registry):
    sent = {row["id"] for row in rows(args.data, args.limit)}
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": f"python-check-{time.time()}",
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe([f"{PREFIX}.texts.scored"])
    seen = {}
    last = time.time()
    while time.time() - last < 15:
        message = consumer.poll(1.0)
        if message is None or message.error() is not None:
            continue
        scored = decode(registry, message.value())
        seen[scored["id"]] = seen.get(scored["id"], 0) + 1
        last = time.time()
    consumer.close()
    missing = len(sent - seen.keys())
    twice = sum(1 for i in sent if seen.get(i, 0) > 1)
    print(f"check: {len(sent)} texts sent, scored {len(sent) - missing}, missing {missing}, scored twice {twice}")
    return 0 if missing == 0 and twice == 0 else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["texts", "review", "check"])
    parser.add_argument("--data", required=True)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--idle", type=float, default=90, help="review: stop after this many seconds without one")
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--registry", default="http://127.0.0.1:8081/apis/ccompat/v7")
    args = parser.parse_args()
    registry = Registry(args.registry)
    return {"texts": send_texts, "review": review, "check": check}[args.command](args, registry)


if __name__ == "__main__":
    sys.exit(main())
