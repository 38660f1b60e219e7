"""What ``govrules serve`` was started with, passed to each worker in the environment."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from govrules.service.checking import Limits

__all__ = ["CONFIG_ENV", "ServiceConfig"]

CONFIG_ENV = "GOVRULES_SERVE_CONFIG"


@dataclass(frozen=True)
class ServiceConfig:
    """What ``govrules serve`` was started with (JSON-able: workers read it from env)."""

    db_url: str
    token: str | None = None
    limits: Limits = field(default_factory=Limits)

    def to_json(self) -> str:
        return json.dumps({"db_url": self.db_url, "token": self.token,
                           "max_body_bytes": self.limits.max_body_bytes,
                           "max_records": self.limits.max_records,
                           "time_limit": self.limits.time_limit})

    @classmethod
    def from_json(cls, text: str) -> ServiceConfig:
        data = json.loads(text)
        return cls(data["db_url"], data.get("token"),
                   Limits(data["max_body_bytes"], data["max_records"], data["time_limit"]))
