from kupiansk_map.web.popups import date_range, popup_html, status_badge, tooltip_html

BASE = {
    "id": "x",
    "name": "Name",
    "valid_from": None,
    "valid_to": None,
    "status": "reported",
    "source": "Src",
    "note": "Note",
}
HOSTILE = {
    **BASE,
    "name": "<script>alert(1)</script>",
    "note": "<img src=x onerror=alert(2)>",
    "source": "<a href='javascript:alert(3)'>x</a>",
}


def test_date_range_reads_valid_to_as_exclusive():
    assert date_range(BASE) == "Not dated: holds throughout"
    assert date_range({"valid_from": "2024-11-01", "valid_to": "2024-11-15"}) == "1 November 2024 to 14 November 2024"
    assert date_range({"valid_from": "2024-11-13", "valid_to": "2024-11-14"}) == "On 13 November 2024"
    assert date_range({"valid_from": "2022-09-10", "valid_to": None}) == "From 10 September 2022"
    assert date_range({"valid_from": None, "valid_to": "2022-09-10"}) == "Until 9 September 2022"


def test_claims_name_the_claimant_and_say_unverified():
    assert status_badge({"status": "claimed-ua"}) == "Claim by Ukraine (unverified)"
    assert status_badge({"status": "claimed-ru"}) == "Claim by Russia (unverified)"
    assert "not independently verified" in popup_html({**BASE, "status": "claimed-ru"}, layer_title="Events")


def test_schematic_shapes_say_so_in_the_popup():
    html = popup_html({**BASE, "status": "schematic"}, layer_title="Occupied")
    assert "Schematic: an approximate shape" in html


def test_popup_carries_dates_status_source_note_and_measures():
    html = popup_html(
        {
            **BASE,
            "valid_from": "2024-11-01",
            "valid_to": "2024-11-15",
            "area_km2": 600.24,
            "reported_area_km2": 600,
            "area_source": "Reuters",
        },
        layer_title="Kursk",
    )
    for text in (
        "Name",
        "1 November 2024 to 14 November 2024",
        "Reported",
        "Src",
        "Note",
        "600.2 km²",
        "600 km² (Reuters)",
    ):
        assert text in html
    assert "12.3 km" in popup_html({**BASE, "length_km": 12.34}, layer_title="Front")


def test_all_text_is_escaped():
    html = popup_html(HOSTILE, layer_title="<b>layer</b>") + tooltip_html(HOSTILE)
    assert "<script>" not in html and "<img" not in html and "<a href" not in html and "<b>layer" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
