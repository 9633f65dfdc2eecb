"""The OFAC Remarks parser: free text in, structured facts out. Examples are real remarks."""

from __future__ import annotations

import pytest

from service.model import BirthDate, Identifier, IdType, Name, NameType
from service.sources.ofac_remarks import parse_birth_date, parse_remarks, split_segments


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 Jul 1963", BirthDate("1963-07-28")),
        ("05 Feb 1964", BirthDate("1964-02-05")),
        ("Jul 1963", BirthDate("1963-07")),
        ("1963", BirthDate("1963")),
        ("1960 to 1965", BirthDate("1960", "1965")),
        ("01 Jan 1961 to 31 Dec 1962", BirthDate("1961-01-01", "1962-12-31")),
        ("Mar 1962 to Feb 1963", BirthDate("1962-03", "1963-02")),
        ("circa 1960", BirthDate("1960")),
        ("circa 07 Jul 1966", BirthDate("1966-07-07")),
        ("circa 1979-1982", BirthDate("1979", "1982")),
    ],
)
def test_birth_dates(text: str, expected: BirthDate) -> None:
    assert parse_birth_date(text) == expected


@pytest.mark.parametrize("text", ["31 Feb 1960", "Foo 1960", "sometime", "1960 to 1962 to 1964", ""])
def test_birth_dates_that_are_not(text: str) -> None:
    assert parse_birth_date(text) is None


def test_a_person() -> None:
    facts = parse_remarks(
        "DOB 28 Jul 1963; POB Toledo District, Belize; Passport P0017003 (Belize); "
        "SSN 561-77-9011 (United States); a.k.a. 'BURTON BURGESS'."
    )
    assert facts.birth_dates == (BirthDate("1963-07-28"),)
    assert facts.birth_places == ("Toledo District, Belize",)
    assert facts.identifiers == (
        Identifier(IdType.PASSPORT, "P0017003", "BZ", "Passport"),
        Identifier(IdType.NATIONAL_ID, "561-77-9011", "US", "SSN"),
    )
    assert facts.names == (Name("BURTON BURGESS", NameType.WEAK_AKA),)
    assert facts.segments == 5
    assert facts.unrecognised == ()


def test_several_dates_places_nationalities_and_citizenships() -> None:
    facts = parse_remarks(
        "DOB 1951 to 1953; alt. DOB 1960 to 1962; alt. DOB Apr 1961; alt. DOB 1953; POB Najaf, Iraq; "
        "alt. POB Tehran, Iran; nationality Iran; alt. nationality Korea, North; citizen Mexico; "
        "alt. citizen Iraq; Gender Male."
    )
    assert facts.birth_dates == (
        BirthDate("1951", "1953"),
        BirthDate("1960", "1962"),
        BirthDate("1961-04"),
        BirthDate("1953"),
    )
    assert facts.birth_places == ("Najaf, Iraq", "Tehran, Iran")
    assert facts.nationalities == ("IR", "KP")
    assert facts.citizenships == ("MX", "IQ")
    assert facts.details == (("gender", "Male"),)
    assert facts.unrecognised == ()


def test_identifier_notes_and_qualifiers() -> None:
    facts = parse_remarks(
        "Passport E590976 (Tunisia) issued 19 Jun 1987 expires 18 Jun 1992; "
        "alt. Passport G 649385 issued 08 Sep 2006 expires 17 Jul 2011; "
        "Business Registration Number 0582030 (Connecticut) (United States); "
        "National ID No. D489833(9) (Hong Kong); "
        "National ID No. 123 (Cabo Verde.  Previously Cape Verde.); "
        "Unified Social Credit Code (USCC) 91222401MA0Y31E659 (China); "
        "NIT # 800146749-7 (Colombia); R.F.C. DIB-771110-HQ1 (Mexico); "
        "C.U.R.P. # HESU430525HBCRMR13 (Mexico)."
    )
    assert facts.identifiers == (
        Identifier(IdType.PASSPORT, "E590976", "TN", "Passport"),
        Identifier(IdType.PASSPORT, "G 649385", None, "Passport"),
        Identifier(IdType.REGISTRATION_NUMBER, "0582030", "US", "Business Registration Number (Connecticut)"),
        Identifier(IdType.NATIONAL_ID, "D489833(9)", "HK", "National ID No."),
        Identifier(IdType.NATIONAL_ID, "123", "CV", "National ID No."),
        Identifier(
            IdType.REGISTRATION_NUMBER, "91222401MA0Y31E659", "CN", "Unified Social Credit Code (USCC)"
        ),
        Identifier(IdType.TAX_NUMBER, "800146749-7", "CO", "NIT #"),
        Identifier(IdType.TAX_NUMBER, "DIB-771110-HQ1", "MX", "R.F.C."),
        Identifier(IdType.NATIONAL_ID, "HESU430525HBCRMR13", "MX", "C.U.R.P. #"),
    )


def test_contacts_crypto_and_bank_codes() -> None:
    facts = parse_remarks(
        "Website www.gicdf.org; Email Address info@gicdf.org; Telephone No. (218) (0)214778301; "
        "Fax: 0097282858208; Telephone Number: (971) (4) (3248000); SWIFT/BIC RUAGRUMM; BIK (RU) 044525607; "
        "Digital Currency Address - XBT 12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz; "
        "alt. Digital Currency Address - ETH 0xa7e5d5a720f06526557c513402f2e6b5fa20b008."
    )
    assert facts.identifiers == (
        Identifier(IdType.WEBSITE, "www.gicdf.org", None, "Website"),
        Identifier(IdType.EMAIL, "info@gicdf.org", None, "Email Address"),
        Identifier(IdType.PHONE, "(218) (0)214778301", None, "Telephone No."),
        Identifier(IdType.PHONE, "0097282858208", None, "Fax"),
        Identifier(IdType.PHONE, "(971) (4) (3248000)", None, "Telephone Number"),
        Identifier(IdType.SWIFT_BIC, "RUAGRUMM", None, "SWIFT/BIC"),
        Identifier(IdType.SWIFT_BIC, "044525607", None, "BIK (RU)"),
        Identifier(
            IdType.CRYPTO_ADDRESS,
            "12udabs2TkX7NXCSj6KpqXfakjE52ZPLhz",
            None,
            "Digital Currency Address - XBT",
        ),
        Identifier(
            IdType.CRYPTO_ADDRESS,
            "0xa7e5d5a720f06526557c513402f2e6b5fa20b008",
            None,
            "Digital Currency Address - ETH",
        ),
    )


def test_vessels() -> None:
    facts = parse_remarks(
        "Former Vessel Flag Malta; alt. Former Vessel Flag None Identified; "
        "Vessel Registration Identification IMO 9187629; MMSI 572469210; Identification Number IMO 9339301; "
        "Vessel Registration Identification RS 150443 (Russia); Other Vessel Call Sign 5IM713; "
        "Vessel Year of Build 1999; Nationality of Registration Korea, North; f.k.a. 'ALPHA'; "
        "Linked To: NATIONAL IRANIAN TANKER COMPANY."
    )
    assert facts.identifiers == (
        Identifier(IdType.IMO, "9187629", None, "Vessel Registration Identification"),
        Identifier(IdType.MMSI, "572469210", None, "MMSI"),
        Identifier(IdType.IMO, "9339301", None, "Identification Number"),
        Identifier(IdType.REGISTRATION_NUMBER, "RS 150443", "RU", "Vessel Registration Identification"),
        Identifier(IdType.CALL_SIGN, "5IM713", None, "Other Vessel Call Sign"),
    )
    assert facts.details == (
        ("former_vessel_flag", "Malta"),
        ("former_vessel_flag", "None Identified"),
        ("vessel_year_of_build", "1999"),
    )
    assert facts.registration_countries == ("KP",)
    assert facts.names == (Name("ALPHA", NameType.WEAK_AKA),)
    assert facts.linked_to == ("NATIONAL IRANIAN TANKER COMPANY",)


def test_aircraft_and_organisations() -> None:
    facts = parse_remarks(
        "Aircraft Manufacture Date 1992; Aircraft Mode S Transponder Code 7342B3; Aircraft Model Ilyushin "
        "IL-76TD; Aircraft Manufacturer's Serial Number (MSN) 1023409321; Aircraft Tail Number EP-MMH; "
        "Organization Established Date 21 Jul 2020; Organization Type: Real estate activities; "
        "Target Type State-Owned Enterprise; All offices worldwide."
    )
    assert facts.identifiers == (
        Identifier(IdType.OTHER, "7342B3", None, "Aircraft Mode S Transponder Code"),
        Identifier(IdType.AIRCRAFT_SERIAL, "1023409321", None, "Aircraft Manufacturer's Serial Number (MSN)"),
        Identifier(IdType.AIRCRAFT_TAIL, "EP-MMH", None, "Aircraft Tail Number"),
    )
    assert facts.details == (
        ("aircraft_manufacture_date", "1992"),
        ("aircraft_model", "Ilyushin IL-76TD"),
        ("organization_established_date", "21 Jul 2020"),
        ("organization_type", "Real estate activities"),
        ("target_type", "State-Owned Enterprise"),
        ("scope", "All offices worldwide"),
    )
    assert facts.unrecognised == ()


def test_sanctions_notes_are_details() -> None:
    facts = parse_remarks(
        "Additional Sanctions Information - Subject to Secondary Sanctions; Secondary sanctions risk: See "
        "Section 11 of Executive Order 14024.; Executive Order 13662 Directive Determination - Subject to "
        "Directive 2; Listing Date (EO 14024 Directive 2): 24 Feb 2022; For more information on directives, "
        "please visit the following link: http://www.treasury.gov/."
    )
    assert facts.details == (
        ("additional_sanctions_information", "Subject to Secondary Sanctions"),
        ("secondary_sanctions_risk", "See Section 11 of Executive Order 14024."),
        ("directive", "Executive Order 13662 Directive Determination - Subject to Directive 2"),
        ("listing_date", "Listing Date (EO 14024 Directive 2): 24 Feb 2022"),
    )
    assert facts.unrecognised == ()


def test_weak_names_and_links() -> None:
    facts = parse_remarks(
        "a.k.a. 'HESA'; a.k.a. 'SHAHIN CO.'; f.k.a. 'ANA I'; n.k.a. 'LGOK'; Linked To: MAHAN AIR; "
        "Linked To: D'S SUPERMARKET COMPANY LTD."
    )
    assert facts.names == tuple(Name(n, NameType.WEAK_AKA) for n in ("HESA", "SHAHIN CO.", "ANA I", "LGOK"))
    # The closing period of the remarks goes; "LTD." is matched period-insensitively later.
    assert facts.linked_to == ("MAHAN AIR", "D'S SUPERMARKET COMPANY LTD")


def test_titles_are_recognised_and_the_rest_reported() -> None:
    titles = ["Brigadier General and Commander of the IRGC Basij Resistance Force", "Major General"]
    facts = parse_remarks(
        "DOB 1947; Brigadier General and Commander of the IRGC Basij Resistance Force; Major General; "
        "Head of the Basij; Position: Director, General Intelligence Directorate; a.k.a. 'snowsjo",
        titles,
    )
    assert facts.details == (("position", "Director, General Intelligence Directorate"),)
    # An a.k.a. cut short (the sdn-only files stop remarks at 1,000 characters) is no name.
    assert facts.unrecognised == ("Head of the Basij", "a.k.a. 'snowsjo")
    assert facts.names == ()


def test_unknown_countries_leave_the_segment_unrecognised() -> None:
    facts = parse_remarks("nationality possibly Palestinian;arrested 23 Apr 2002; citizen Atlantis.")
    assert facts.nationalities == () and facts.citizenships == ()
    assert facts.unrecognised == ("nationality possibly Palestinian;arrested 23 Apr 2002", "citizen Atlantis")


def test_an_unknown_label_with_a_country_is_still_an_identifier() -> None:
    facts = parse_remarks("Hypothetical Register No. AB-123 (Peru).")
    assert facts.identifiers == (Identifier(IdType.OTHER, "AB-123", "PE", "Hypothetical Register No."),)


def test_split_keeps_semicolons_without_a_space() -> None:
    assert split_segments("a; b;c; d.") == ["a", "b;c", "d"]
    assert parse_remarks("") == parse_remarks(None)
    assert parse_remarks("").segments == 0
