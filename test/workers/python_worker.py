#!/usr/bin/env python3
"""An outside worker in Python for a longrun API, with Debian's python3-pika and nothing else.

It proves the worker protocol (openapi/worker-messages.schema.json) is language-neutral: it takes
`transcode` tasks, reports started, steps, progress and heartbeats, honours cancel messages, and
reports the product. Configured by AMQP_URL, BROKER_PREFIX, WORKER_NAME, STEP_MS; logs one JSON
line per task event.
"""
import datetime
import json
import os
import sys
import time

import pika

PREFIX = os.environ["BROKER_PREFIX"]
NAME = os.environ["WORKER_NAME"]
STEP_S = int(os.environ["STEP_MS"]) / 1000.0
EVENTS = PREFIX + ".events"
CONTROL = PREFIX + ".control"
TASKS = PREFIX + ".tasks.transcode"


def log(**fields):
    fields.update(worker=NAME, time=int(time.time() * 1000))
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat().replace("+00:00", "Z")


connection = pika.BlockingConnection(pika.URLParameters(os.environ["AMQP_URL"]))
channel = connection.channel()
channel.confirm_delivery()
channel.queue_declare(EVENTS, durable=True, arguments={"x-single-active-consumer": True})
channel.queue_declare(TASKS, durable=True)
channel.exchange_declare(CONTROL, exchange_type="fanout", durable=True)
control_queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
channel.queue_bind(control_queue, CONTROL)
channel.basic_qos(prefetch_count=1)

cancelled = set()


class Cancelled(Exception):
    pass


def on_control(_channel, _method, _properties, body):
    message = json.loads(body)
    if message.get("type") == "cancel":
        cancelled.add((message["operationId"], message["token"]))


channel.basic_consume(control_queue, on_control, auto_ack=True)


class Task:
    def __init__(self, task):
        self.task = task
        self.seq = 0
        self.last_sent = 0.0

    def report(self, kind, **fields):
        message = {
            "protocol": 1,
            "type": kind,
            "operationId": self.task["operationId"],
            "token": self.task["token"],
            "seq": self.seq,
            "sentAt": now_iso(),
        }
        message.update(fields)
        self.seq += 1
        self.last_sent = time.monotonic()
        channel.basic_publish(
            "",
            EVENTS,
            json.dumps(message),
            pika.BasicProperties(delivery_mode=2, content_type="application/json"),
        )

    def work(self, seconds):
        """Sleeps while serving the connection: heartbeats go out, cancels come in."""
        until = time.monotonic() + seconds
        heartbeat_s = self.task["heartbeatMs"] / 2000.0
        while True:
            if (self.task["operationId"], self.task["token"]) in cancelled:
                raise Cancelled()
            left = until - time.monotonic()
            if left <= 0:
                return
            if time.monotonic() - self.last_sent >= heartbeat_s:
                self.report("heartbeat")
            connection.process_data_events(time_limit=min(left, heartbeat_s, 0.05))


def on_task(_channel, method, _properties, body):
    task = json.loads(body)
    deadline = datetime.datetime.fromisoformat(task["deadline"].replace("Z", "+00:00"))
    if deadline < datetime.datetime.now(datetime.timezone.utc):
        channel.basic_ack(method.delivery_tag)
        return
    run = Task(task)
    run.report("started")
    channel.basic_ack(method.delivery_tag)
    log(msg="started", operationId=task["operationId"], attempt=task["attempt"])
    request = task["input"]
    try:
        for index, step in enumerate(["probe", "encode", "package"]):
            run.report("step", step=step, state="running")
            run.work(STEP_S)
            run.report("progress", percent=round((index + 0.5) / 3 * 100), message=step + " half done", step=step)
            run.work(STEP_S)
            run.report("step", step=step, state="succeeded")
    except Cancelled:
        log(msg="stopped", operationId=task["operationId"], reason="cancelled")
        run.report("failed", problem={
            "type": "https://longrun.dev/problems/operation-cancelled",
            "title": "The operation was cancelled",
            "status": 409,
        })
        return
    product_id = "prd_" + task["operationId"][3:]
    href = "/products/" + product_id
    log(msg="succeeded", operationId=task["operationId"], attempt=task["attempt"])
    run.report("succeeded", product={
        "collection": "products",
        "id": product_id,
        "href": href,
        "body": {
            "id": product_id,
            "source": request["source"],
            "format": request["format"],
            "resolution": request["resolution"],
            "sizeBytes": 1000000,
            "durationSeconds": 60,
            "createdAt": now_iso(),
            "links": {"self": {"href": href}},
        },
    })


channel.basic_consume(TASKS, on_task)
log(msg="ready")
try:
    channel.start_consuming()
except KeyboardInterrupt:
    pass
