from tests.client import test_contract_v2, test_contract_v3
from tests.client.helpers import PAYLOADS


def test_every_payload_sample_is_covered_by_a_contract_case() -> None:
    covered = {f for files, _ in test_contract_v2.CASES.values() for f in files}
    covered |= {f for files, _ in test_contract_v3.CASES.values() for f in files}
    covered |= set(test_contract_v3.NOT_CALLED)
    on_disk = {p.name for p in PAYLOADS.glob("*.json")}
    assert on_disk, f"payload folder not found at {PAYLOADS}"
    assert sorted(on_disk - covered) == []
    assert sorted(covered - on_disk) == []
