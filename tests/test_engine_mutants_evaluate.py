"""Reports pinned exactly: what the mutation run of ``engine/evaluate`` showed unpinned.

The order of findings and of missing facts, the scope and exception findings' fields, the
presumptions listed, the report's binding force, the pack's facts as the report shows
them, the options the receipt records, and each entry point passing on its arguments
(``evaluate``, ``evaluate_all``, ``evaluate_pack``, ``build_report``, ``combine``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from govrules.base.calendar import Calendar
from govrules.base.errors import InputError
from govrules.engine import evaluate as evaluate_module
from govrules.engine.decide import decide
from govrules.engine.evaluate import (
    build_report,
    coerce_snapshot,
    combine,
    evaluate,
    evaluate_all,
    evaluate_pack,
)
from govrules.model.pack import Pack, parse_pack
from govrules.model.snapshot import parse_snapshot
from tests.conftest import HEADER, demo_pack_text

AS_OF = date(2025, 11, 20)
CAL = Calendar.default()
SCOPE_QUOTE = "本办法适用于使用财政资金的非涉密项目"

BODY = f"""
scope:
  - id: demo.1.fiscal
    article: 1
    quote: {SCOPE_QUOTE}
    applies_when: funding.source == 'fiscal'
    message: {{zh: 非财政资金, en: Not fiscal}}
exceptions:
  - id: demo.1.known
    article: 1
    quote: {SCOPE_QUOTE}
    when: project.level == 'national'
    rules: [demo.2.b-filed]
    message: {{zh: 国家级, en: National}}
  - id: demo.1.unused
    article: 1
    quote: {SCOPE_QUOTE}
    when: project.classified
    rules: [demo.3.other]
    message: {{zh: 不用, en: Unused}}
  - id: demo.1.unsigned
    article: 1
    item: 2
    quote: {SCOPE_QUOTE}
    when: not contract.signed
    presume: {{contract.signed: true}}
    rules: [demo.2.a-cloud]
    message: {{zh: 未签约, en: Not signed}}
rules:
  - id: demo.2.a-cloud
    article: 2
    item: 1
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud
    message: {{zh: 未上云, en: Not on the cloud}}
  - id: demo.2.b-filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: not contract.filed
    message: {{zh: 未备案, en: Not filed}}
  - id: demo.3.other
    article: 3
    quote: 每季度过后7个工作日内报送
    applies_when: project.level == 'county'
    violated_when: not contract.filed
    message: {{zh: 县级, en: County}}
"""


def _pack(body: str = BODY, header: str = HEADER) -> Pack:
    return parse_pack(demo_pack_text(body, header), "demo.yaml")


BREACH = {"id": "P-1", "funding": {"source": "fiscal"}, "project": {"level": "municipal"},
          "deployment": {"government_cloud": False}, "contract": {"filed": False}}


def test_findings_are_ordered_by_article_then_item_then_rule() -> None:
    report = evaluate(BREACH, pack=_pack(), as_of=AS_OF)
    assert [(f.rule, f.article.item) for f in report.findings] == [
        ("demo.2.b-filed", None), ("demo.2.a-cloud", 1)]
    assert report.counts == {"violated": 2, "not_applicable": 1}
    assert report.snapshot_id == "P-1"


def test_missing_facts_deciding_as_many_rules_are_ordered_by_fact() -> None:
    record = {"funding": {"source": "fiscal"}, "project": {"level": "municipal"},
              "contract": {"signed": True}}
    report = evaluate(record, pack=_pack(), as_of=AS_OF)
    assert [(m.fact, m.decides) for m in report.missing_facts] == [
        ("contract.filed", ["demo.2.b-filed"]),
        ("deployment.government_cloud", ["demo.2.a-cloud"])]


def test_an_unknown_scope_and_an_applying_exception_as_findings() -> None:
    record = {"project": {"level": "national"}, "contract": {"filed": False, "signed": True},
              "deployment": {"government_cloud": False}}
    report = evaluate(record, pack=_pack(), as_of=AS_OF, include_all=True)
    by_rule = {f.rule: f for f in report.findings}
    assert (by_rule["demo.1.fiscal"].status, by_rule["demo.1.fiscal"].missing) == (
        "undetermined", ["funding.source"])
    assert (by_rule["demo.1.known"].status, by_rule["demo.1.known"].missing) == (
        "not_applicable", [])
    assert by_rule["demo.2.b-filed"].status == "not_applicable"


def test_scope_and_exception_findings_bind_as_the_text_does() -> None:
    lapsed = HEADER.replace("  status: in_force\n", "  status: in_force\n  expires: 2021-12-31\n")
    report = evaluate(BREACH, pack=_pack(header=lapsed), as_of=AS_OF, include_all=True)
    assert report.pack.binding is False
    clauses = [f for f in report.findings if f.rule.startswith("demo.1.")]
    assert [(f.rule, f.binding) for f in clauses] == [
        ("demo.1.fiscal", False), ("demo.1.known", False), ("demo.1.unused", False),
        ("demo.1.unsigned", False)]
    in_force = evaluate(BREACH, pack=_pack(), as_of=AS_OF, include_all=True)
    assert all(f.binding for f in in_force.findings)


def test_each_silent_exception_that_some_rule_presumed_is_listed() -> None:
    record = {"funding": {"source": "fiscal"}, "project": {"level": "municipal"},
              "deployment": {"government_cloud": False}, "contract": {"filed": False}}
    report = evaluate(record, pack=_pack(), as_of=AS_OF)
    (presumption,) = report.presumptions
    assert (presumption.fact, presumption.presumed, presumption.rules) == (
        "contract.signed", True, ["demo.2.a-cloud"])
    clause = presumption.clause
    assert (clause.id, clause.pack, clause.article, clause.label, clause.item,
            clause.quote) == ("demo.1.unsigned", "demo", 1, "第一条", 2, SCOPE_QUOTE)
    assert evaluate(record, pack=_pack(), as_of=AS_OF,
                    strict_presumptions=True).presumptions == []


LAPSED_FILING = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    conduct: contract.signed_on
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
"""
LAPSED = HEADER.replace("  status: in_force\n", "  status: in_force\n  expires: 2021-12-31\n"
                        "  doc_number: 示政发〔2020〕1号\n")


def test_a_breach_inside_a_lapsed_text_makes_the_report_bind() -> None:
    pack = _pack(LAPSED_FILING, LAPSED)
    record = {"contract": {"signed_on": "2021-06-01", "filed": False},
              "deployment": {"government_cloud": True}}
    report = evaluate(record, pack=pack, as_of=AS_OF)
    assert (report.binding, report.pack.binding, report.verdict, report.binding_verdict) == (
        True, False, "non_compliant", "non_compliant")
    assert (report.pack.doc_number, report.pack.effective, report.pack.expires) == (
        "示政发〔2020〕1号", date(2020, 1, 1), date(2021, 12, 31))
    # no breach: the text's own force on as_of
    quiet = evaluate({"contract": {"signed_on": "2021-06-01", "filed": True},
                      "deployment": {"government_cloud": True}}, pack=pack, as_of=AS_OF)
    assert (quiet.binding, quiet.verdict) == (False, "compliant")


def test_when_no_rule_governs_the_binding_verdict_is_not_applicable_too() -> None:
    pack = _pack(LAPSED_FILING.replace("    violated_when: not deployment.government_cloud\n",
                                       "    conduct: contract.signed_on\n"
                                       "    violated_when: not deployment.government_cloud\n"),
                 LAPSED)
    record = {"contract": {"signed_on": "2023-06-01", "filed": False},
              "deployment": {"government_cloud": False}}
    report = evaluate(record, pack=pack, as_of=AS_OF)
    assert (report.verdict, report.binding_verdict) == ("not_applicable", "not_applicable")


def test_build_report_lists_only_what_needs_attention_unless_asked() -> None:
    pack = _pack()
    record = parse_snapshot({"funding": {"source": "fiscal"}, "project": {"level": "municipal"},
                             "deployment": {"government_cloud": True},
                             "contract": {"filed": False, "signed": True}})
    decisions = decide(pack, record, AS_OF)
    assert [f.rule for f in build_report(decisions, "cal-1").findings] == ["demo.2.b-filed"]
    everything = build_report(decisions, "cal-1", include_all=True)
    assert len(everything.findings) == 7
    assert everything.provenance.calendar_version == "cal-1"


def test_the_receipt_records_the_options_of_the_evaluation() -> None:
    pack = _pack()
    record = parse_snapshot(BREACH)
    report = evaluate_pack(pack, record, AS_OF, CAL, include_all=True, backend="durable",
                           strict_presumptions=True)
    assert report.receipt is not None
    assert report.receipt.options == {"include_all": True, "backend": "durable",
                                      "strict_presumptions": True}
    assert [f.status for f in report.findings if f.rule.startswith("demo.2.")] == [
        "violated", "undetermined"]
    plain = evaluate_pack(pack, record, AS_OF, CAL)
    assert plain.receipt is not None
    assert plain.receipt.options == {"include_all": False, "backend": "native",
                                     "strict_presumptions": False}


def test_evaluate_passes_its_options_on() -> None:
    pack = _pack()
    report = evaluate(BREACH, pack=pack, as_of=AS_OF, include_all=True, backend="durable",
                      strict_presumptions=True)
    assert report.receipt is not None
    assert report.receipt.options == {"include_all": True, "backend": "durable",
                                      "strict_presumptions": True}
    assert len(report.findings) == 7
    default = evaluate(BREACH, pack=pack, as_of=AS_OF)
    assert default.receipt is not None
    assert default.receipt.options == {"include_all": False, "backend": "native",
                                       "strict_presumptions": False}
    assert [f.rule for f in default.findings] == ["demo.2.b-filed", "demo.2.a-cloud"]
    assert [p.fact for p in default.presumptions] == ["contract.signed"]


def test_evaluate_all_passes_its_options_on_and_takes_as_of_from_the_record() -> None:
    packs = [_pack()]
    combined = evaluate_all(BREACH, packs, as_of=AS_OF, include_all=True, backend="durable",
                            strict_presumptions=True)
    (report,) = combined.reports
    assert report.receipt is not None
    assert report.receipt.options == {"include_all": True, "backend": "durable",
                                      "strict_presumptions": True}
    (default,) = evaluate_all({**BREACH, "as_of": "2025-06-30"}, packs).reports
    assert default.as_of == date(2025, 6, 30)
    assert default.receipt is not None
    assert default.receipt.options == {"include_all": False, "backend": "native",
                                       "strict_presumptions": False}
    with pytest.raises(InputError) as caught:
        evaluate_all(BREACH, packs, as_of="2025-13-01")
    assert caught.value.diagnostics[0].message.startswith("as_of '2025-13-01': ")


def test_evaluate_without_a_city_names_what_is_missing() -> None:
    with pytest.raises(InputError) as caught:
        evaluate({"project": {"classified": False}}, as_of=AS_OF)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.code, diagnostic.message) == (
        "no-city", "no city given and the snapshot has none")


FACTS = """
facts:
  - path: data_export.volume
    type: number
    description: {zh: 出境数据量, en: volume of data sent abroad}
rules:
  - id: demo.2.export
    article: 2
    quote: 原则上应使用政务云
    violated_when: data_export.volume > 10
    message: {zh: 出境过多, en: Too much sent abroad}
"""
EXPORT = {"data_export": {"volume": 30}}


def test_a_pack_s_own_facts_are_read_by_every_entry_point(tmp_path: Path) -> None:
    pack = _pack(FACTS)
    assert evaluate(EXPORT, pack=pack, as_of=AS_OF).verdict == "non_compliant"
    assert evaluate_all(EXPORT, [pack], as_of=AS_OF).verdict == "non_compliant"
    read = coerce_snapshot(EXPORT, pack.snapshot_model)
    assert type(read) is pack.snapshot_model
    path = tmp_path / "export.yaml"
    path.write_text("data_export: {volume: 30}\n", encoding="utf-8")
    from_file = coerce_snapshot(path, pack.snapshot_model)
    assert type(from_file) is pack.snapshot_model
    assert evaluate_pack(pack, from_file, AS_OF, CAL).verdict == "non_compliant"
    # a snapshot read without the pack's facts is read again with them
    plain = parse_snapshot({"contract": {"filed": True}})
    report = evaluate_pack(pack, plain, AS_OF, CAL)
    assert report.verdict == "undetermined"
    assert [m.fact for m in report.missing_facts] == ["data_export.volume"]


def _report(**changes: Any) -> Any:
    report = evaluate(BREACH, pack=_pack(), as_of=AS_OF)
    return report.model_copy(update=changes)


def test_the_combined_binding_verdict_is_each_binding_report_s_own() -> None:
    snapshot = parse_snapshot(BREACH)
    combined = combine(snapshot, AS_OF, [
        _report(verdict="non_compliant", binding_verdict="compliant", binding=True),
        _report(verdict="undetermined", binding_verdict=None, binding=True)])
    assert (combined.verdict, combined.binding_verdict) == ("non_compliant", "undetermined")
    combined = combine(snapshot, AS_OF, [
        _report(verdict="non_compliant", binding_verdict="compliant", binding=True)])
    assert combined.binding_verdict == "compliant"


def test_the_backend_names_are_read_lazily_and_nothing_else_is_made_up() -> None:
    names = evaluate_module.BACKENDS
    assert isinstance(names, tuple)
    assert "native" in names
    with pytest.raises(AttributeError, match="has no attribute 'backends_list'"):
        _ = evaluate_module.backends_list
