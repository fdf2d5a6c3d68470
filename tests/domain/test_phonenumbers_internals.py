"""The bulk phone parser reads ``phonenumbers``' metadata internals; these fail loudly when
they move.

``frontdesk/domain/phone_batch.py`` compiles each region's patterns from
``phonenumbers.phonemetadata.PhoneMetadata`` itself (not the public API) to parse a CSV of
numbers faster. ``pyproject.toml`` caps ``phonenumbers`` to the major version tested; when
the cap is raised, this file names what moved instead of letting an import silently accept
or refuse numbers the desk would not.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version

import phonenumbers
import pytest
from phonenumbers.phonemetadata import PhoneMetadata, PhoneNumberDesc

from frontdesk.domain.phone_batch import BulkPhoneParser

REGIONS = ("GB", "US", "AU", "IE", "DE", "NZ", "CA", "JP", "FR", "ES")
# Every field of a region's metadata that phone_batch reads.
METADATA_FIELDS = (
    "country_code",
    "national_prefix",
    "national_prefix_for_parsing",
    "national_prefix_transform_rule",
    "same_mobile_and_fixed_line_pattern",
    "general_desc",
    "mobile",
    "fixed_line",
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
DESC_FIELDS = ("national_number_pattern", "possible_length")


def _moved(what: str) -> str:
    return (
        f"phonenumbers {version('phonenumbers')} moved {what}; frontdesk/domain/phone_batch.py "
        "reads it. Update the bulk parser (or keep the phonenumbers cap in pyproject.toml)."
    )


def test_metadata_for_region_is_still_a_classmethod_taking_a_region() -> None:
    lookup = getattr(PhoneMetadata, "metadata_for_region", None)
    assert callable(lookup), _moved("PhoneMetadata.metadata_for_region (gone)")
    params = tuple(inspect.signature(lookup).parameters)
    assert params[:1] == ("region_code",), _moved(
        f"PhoneMetadata.metadata_for_region's parameters (now {params})"
    )
    assert isinstance(lookup("GB"), PhoneMetadata), _moved(
        "PhoneMetadata.metadata_for_region('GB') (no longer returns PhoneMetadata)"
    )


@pytest.mark.parametrize("region", REGIONS)
def test_each_metadata_field_the_parser_reads_is_still_there(region: str) -> None:
    meta = PhoneMetadata.metadata_for_region(region)
    for field in METADATA_FIELDS:
        assert hasattr(meta, field), _moved(f"PhoneMetadata.{field} (gone, region {region})")
    assert meta.country_code == phonenumbers.country_code_for_region(region), _moved(
        f"PhoneMetadata.country_code (no longer the calling code, region {region})"
    )
    assert isinstance(meta.general_desc, PhoneNumberDesc), _moved("PhoneMetadata.general_desc")
    for field in DESC_FIELDS:
        assert hasattr(meta.general_desc, field), _moved(f"PhoneNumberDesc.{field} (gone)")
    assert isinstance(meta.general_desc.national_number_pattern, str), _moved(
        "PhoneNumberDesc.national_number_pattern (no longer a regular expression string)"
    )
    assert all(isinstance(n, int) for n in meta.general_desc.possible_length or ()), _moved(
        "PhoneNumberDesc.possible_length (no longer a sequence of ints)"
    )


@pytest.mark.parametrize("region", REGIONS)
def test_the_short_cut_agrees_with_the_public_api_on_example_numbers(region: str) -> None:
    """The region's own example numbers, typed nationally, take the short cut (the part that
    reads the internals) and give what ``phonenumbers.parse`` + ``format_number`` give."""
    parser = BulkPhoneParser(region)
    checked = 0
    for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        typed = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
        public = phonenumbers.format_number(
            phonenumbers.parse(typed, region), phonenumbers.PhoneNumberFormat.E164
        )
        hits = parser.fast_hits
        assert parser.parse(typed) == public, _moved(
            f"the meaning of a region's patterns ({region} {typed!r}: the short cut and "
            "phonenumbers.parse disagree)"
        )
        if parser._fast and example.italian_leading_zero is not True:
            assert parser.fast_hits == hits + 1, _moved(
                f"the metadata the short cut relies on ({region} {typed!r} no longer takes it)"
            )
        checked += 1
    assert checked, f"phonenumbers has no example numbers for {region}"
