"""The ``durable`` evaluation backend: a pack's decision conditions as a durable_rules
Rete network (``pip install 'govrules[durable]'``; see ``docs/backends.md``).

It is registered under the entry-point group ``govrules.engine.backends`` and built on the
pack's compiled form: the values of the conditions' parts are computed by the same
closures the native backend runs, and only the logic over them is decided by the network.

- :mod:`.circuit`: conditions → a Kleene circuit of terms, leaves and gates;
- :mod:`.rete`: the circuit → two-valued durable_rules rules;
- :mod:`.rete_engine`: a small typed wrapper over durable_rules' engine;
- :mod:`.network`: the backend itself (per-pack network, per-snapshot sessions).
"""

from govrules.contrib.durable.network import CompiledPack, DurableBackend, backend, compiled_pack

__all__ = ["CompiledPack", "DurableBackend", "backend", "compiled_pack"]
