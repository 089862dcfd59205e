"""Identifiers the generator invents are valid by the owning contexts' own validators."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from qms.catalog.domain.gtin import validate_gtin
from qms.documents.domain.types import BY_CODE, number_problem
from qms.generate.domain.codes import eu_register_number, make_gtin13, make_iban, make_uscc
from qms.generate.domain.names import CN_CITIES, EU_COUNTRIES, build_pools, cn_company
from qms.generate.domain.numbers import document_number, resident_id
from qms.generate.domain.pdf import document_pdf
from qms.generate.domain.products import brand_name
from qms.merchants.domain.iban import is_valid_iban
from qms.merchants.domain.registration import uscc_problems, validate_registration_number

DIVISIONS = [c.division for c in CN_CITIES]


@given(serial=st.integers(min_value=0, max_value=31**6 - 1), division=st.sampled_from(DIVISIONS))
def test_uscc_is_valid_gb32100(serial: int, division: str) -> None:
    code = make_uscc(division=division, serial=serial)
    assert uscc_problems(code) == []
    assert validate_registration_number(scheme="cn_uscc", country="CN", number=code) == code


def test_uscc_known_example_and_uniqueness() -> None:
    codes = {make_uscc(division="330106", serial=n) for n in range(50_000)}
    assert len(codes) == 50_000
    assert all(c.startswith("91330106MA") for c in codes)


@given(
    item=st.integers(min_value=0, max_value=99_999),
    merchant=st.integers(0, 99_999),
    prefix=st.sampled_from(["69", "40", "30", "80", "84", "87", "590"]),
)
def test_gtin13_has_a_valid_check_digit(item: int, merchant: int, prefix: str) -> None:
    gtin = make_gtin13(prefix=prefix + str(merchant).zfill(5), item=item)
    check = validate_gtin(gtin)
    assert check.ok, check.reason
    assert len(gtin) == 13
    assert check.gtin14 == "0" + gtin


def test_gtin13_matches_a_published_example() -> None:
    # GS1's example GTIN-13 4006381333931: body 400638133393, check digit 1.
    assert make_gtin13(prefix="4006381", item=33393) == "4006381333931"


@given(serial=st.integers(min_value=0, max_value=10**9), country=st.sampled_from(EU_COUNTRIES))
def test_eu_registration_numbers_and_ibans_are_valid(serial: int, country: object) -> None:
    code = country.code  # type: ignore[attr-defined]
    number = eu_register_number(code, serial)
    assert validate_registration_number(scheme="eu_trade_register", country=code, number=number)
    assert is_valid_iban(make_iban(code, serial))


@given(seed=st.integers(min_value=0, max_value=10**6), code=st.sampled_from(sorted(BY_CODE)))
def test_document_numbers_match_their_type(seed: int, code: str) -> None:
    rng = random.Random(seed)
    city = rng.choice(CN_CITIES)
    number = document_number(
        code,
        rng,
        year=2024,
        division=city.division,
        province=city.province_zh,
        registration=make_uscc(division=city.division, serial=seed),
        serial=seed,
    )
    spec = BY_CODE[code]
    assert (
        number_problem(pattern=spec.number_pattern, checksum=spec.checksum, number=number) is None
    )


def test_resident_id_check_character() -> None:
    # ISO 7064 MOD 11-2 over the published sample 11010519491231002X.
    rng = random.Random(0)
    value = resident_id(rng, "110105", 1949)
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(value[:17], weights, strict=True))
    assert value[17] == "10X98765432"[total % 11]
    assert resident_id(random.Random(1), "110105", 1949)[:10] == "1101051949"


def test_brand_names_are_unique_ignoring_case() -> None:
    names = [brand_name(n).lower() for n in range(1, 100_000)]
    assert len(set(names)) == len(names)


def test_company_names_follow_the_registered_pattern() -> None:
    rng = random.Random(7)
    for _ in range(200):
        zh, en, city = cn_company(rng, industry_key="electronics")
        assert zh.startswith(city.zh)
        assert zh.endswith(("有限公司", "有限责任公司", "商行"))
        assert en.startswith(city.en)
        assert en.endswith(("Ltd.", "Firm"))


def test_pools_are_deterministic_per_seed() -> None:
    assert build_pools(3, size=20) == build_pools(3, size=20)
    assert build_pools(3, size=20).zh_people != build_pools(4, size=20).zh_people


def test_demo_pdf_is_a_readable_pdf() -> None:
    from qms.shared.files import inspect_upload

    content = document_pdf(
        type_name="Business licence",
        number="91330106MA00PFCM0B",
        holder="Hangzhou Ruifeng Trading Co., Ltd.",
        issuer="SAMR",
        issued_on="2024-01-01",
        expires_on=None,
    )
    assert inspect_upload(name="licence.pdf", data=content).kind == "pdf"


def test_pools_do_not_depend_on_the_hash_seed() -> None:
    import subprocess
    import sys

    code = (
        "import hashlib, json; from qms.generate.domain.names import build_pools; "
        "print(hashlib.sha256(json.dumps(build_pools(5, size=60).__dict__, sort_keys=True,"
        " ensure_ascii=False).encode()).hexdigest())"
    )
    outputs = {
        subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": str(n)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in (1, 2, 3)
    }
    assert len(outputs) == 1
