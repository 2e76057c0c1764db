import csv
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.gazetteer_build import check_curated
from pipeline.normalise import normalise_str
from pipeline.places import Gazetteer, PlaceMention
from pipeline.resources import read_tsv

SPEC = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "provinces.tsv"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def find(gaz: Gazetteer, text: str, context_provinces: Iterable[str] = ()) -> list[PlaceMention]:
    text = normalise_str(text)
    found = gaz.find(text, context_provinces)
    assert all(text[m.start:m.end] == m.text for m in found)
    assert all(a.end <= b.start for a, b in pairwise(found))
    return found


def provinces(gaz: Gazetteer, text: str, context_provinces: Iterable[str] = ()) -> list[str | None]:
    return [m.province for m in find(gaz, text, context_provinces) if not m.foreign]


@pytest.mark.parametrize(
    ("alias", "province"),
    [
        ("TP.HCM", "Hồ Chí Minh"), ("TP HCM", "Hồ Chí Minh"), ("TPHCM", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"), ("Sài Gòn", "Hồ Chí Minh"), ("CATP HCM", "Hồ Chí Minh"),
        ("Thừa Thiên - Huế", "Huế"), ("Thừa Thiên Huế", "Huế"), ("TT-Huế", "Huế"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"), ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Đăk Lăk", "Đắk Lắk"), ("Đắk Lăk", "Đắk Lắk"), ("Daklak", "Đắk Lắk"), ("Đăk Nông", "Đắk Nông"),
        ("Hoà Bình", "Hòa Bình"), ("Công an tỉnh Bắc Giang", "Bắc Giang"), ("CATP Hà Nội", "Hà Nội"),
    ],
)
def test_aliases(gaz: Gazetteer, alias: str, province: str) -> None:
    assert provinces(gaz, f"Vụ việc xảy ra tại {alias} hôm qua.") == [province]
    assert gaz.province_by_name(alias.removeprefix("Công an tỉnh ").removeprefix("CATP ")) == province


def test_province_names_are_case_sensitive_and_regions_do_not_map(gaz: Gazetteer) -> None:
    assert provinces(gaz, "Nhà ở Long An") == ["Long An"]
    assert provinces(gaz, "bán đất long an giá rẻ") == []
    assert provinces(gaz, "Lũ lụt ở ĐBSCL và Tây Nguyên") == []
    assert gaz.province_by_name("ĐBSCL") is None


def test_no_place_in_plain_sentence(gaz: Gazetteer) -> None:
    assert find(gaz, "Công nhân đình công đòi tăng lương") == []


def test_people_streets_and_oceans_are_not_provinces(gaz: Gazetteer) -> None:
    assert provinces(gaz, "Ông Nguyễn Thái Bình trình bày") == []
    assert provinces(gaz, "nhà số 5 đường Hà Nội, trên biển Thái Bình Dương") == []
    assert provinces(gaz, "giao lộ với đường song hành xa lộ Hà Nội, phường An Phú, quận 2") == ["Hồ Chí Minh"] * 2
    assert provinces(gaz, "học tập tư tưởng Hồ Chí Minh") == []
    assert provinces(gaz, "đưa về thành phố Hà Nội") == ["Hà Nội"]


def test_roads_named_by_their_ends_are_not_places(gaz: Gazetteer) -> None:
    assert provinces(gaz, "xe khách bốc cháy trên đường cao tốc TP HCM - Trung Lương") == []
    assert provinces(gaz, "tai nạn trên cao tốc Hà Nội - Hải Phòng, đoạn qua tỉnh Hưng Yên") == ["Hưng Yên"]
    assert provinces(gaz, "xe chở khách từ Tiền Giang về TP HCM") == ["Tiền Giang", "Hồ Chí Minh"]


def test_a_vehicles_registration_is_no_place(gaz: Gazetteer) -> None:
    assert provinces(gaz, "Xe đầu kéo biển số Thanh Hóa tông chết người ở Ninh Thuận") == ["Ninh Thuận"]
    assert provinces(gaz, "ô tô BKS Hà Nội, xe khách mang biển kiểm soát Bình Định") == []


def test_a_country_protested_against_is_no_place(gaz: Gazetteer) -> None:
    assert find(gaz, "công nhân bị kích động tham gia biểu tình chống Trung Quốc") == []
    (abroad,) = find(gaz, "hàng nghìn người biểu tình tại Trung Quốc")
    assert abroad.foreign


def test_where_money_people_or_goods_come_from_is_no_place(gaz: Gazetteer) -> None:
    assert find(gaz, "06 vụ ngừng việc tại doanh nghiệp có vốn đầu tư Hàn Quốc, Trung Quốc") == []
    assert find(gaz, "ông Lin (quốc tịch Trung Quốc) đã rời khỏi Việt Nam") == []
    assert find(gaz, "vận chuyển ma túy từ Lào về Việt Nam, 1 xe môtô biển số Lào") == []
    (abroad,) = find(gaz, "công nhân Việt Nam bị bắt tại Trung Quốc")
    assert abroad.foreign


def test_a_birth_year_parenthesis_and_a_bracketed_link_hold_no_place_of_the_event(gaz: Gazetteer) -> None:
    found = find(gaz, "xe đâm vào anh A. (SN 1982, phường Tam Hiệp, TP Biên Hòa, Đồng Nai) tại xã Phú Nhuận, "
                      "TP Bến Tre [Xe cấp cứu gây tai nạn tại Hà Nội]")
    assert [(m.province, m.residence) for m in found] == [("Đồng Nai", True)] * 3 + [("Bến Tre", False)] * 2


def test_district_after_unit_word(gaz: Gazetteer) -> None:
    (m,) = find(gaz, "Công nhân huyện Quế Võ ngừng việc")
    assert (m.level, m.text, m.district, m.province, m.province_code) == (
        "district", "huyện Quế Võ", "Quế Võ", "Bắc Ninh", "27")
    assert find(gaz, "quê võ thuật Quế Võ") == []  # a bare district name is not read


def test_zone_and_district_in_parentheses(gaz: Gazetteer) -> None:
    found = find(gaz, "Công ty TNHH ABC (KCN Quế Võ, huyện Quế Võ) nợ lương")
    assert [(m.level, m.province) for m in found] == [("zone", "Bắc Ninh"), ("district", "Bắc Ninh")]


def test_district_province_pattern_without_unit_word(gaz: Gazetteer) -> None:
    found = find(gaz, "tại rừng phòng hộ Chư Pah (Gia Lai) và Quế Võ, Bắc Ninh")
    assert [(m.level, m.district, m.province) for m in found] == [
        ("district", "Chư Pah", "Gia Lai"), ("province", None, "Gia Lai"),
        ("district", "Quế Võ", "Bắc Ninh"), ("province", None, "Bắc Ninh")]


def test_ambiguous_district_resolved_by_context(gaz: Gazetteer) -> None:
    assert provinces(gaz, "Tại huyện Châu Thành, công nhân ngừng việc.") == [None]
    text = "Tại huyện Châu Thành, công nhân ngừng việc. Công an tỉnh Tiền Giang đã vào cuộc."
    assert provinces(gaz, text) == ["Tiền Giang", "Tiền Giang"]
    assert provinces(gaz, "Tại huyện Châu Thành", context_provinces=["Bến Tre"]) == ["Bến Tre"]
    # the unit word tells "quận Tân Phú" (Hồ Chí Minh) from "huyện Tân Phú" (Đồng Nai)
    assert provinces(gaz, "quận Tân Phú và huyện Tân Phú") == ["Hồ Chí Minh", "Đồng Nai"]
    # a province named beats a unit word that has changed since (Phong Điền became a thị xã in 2024)
    assert provinces(gaz, "huyện Phong Điền, tỉnh Thừa Thiên - Huế") == ["Huế", "Huế"]


def test_numbered_units_need_context_unless_one_city_numbers_them(gaz: Gazetteer) -> None:
    assert provinces(gaz, "ngụ phường 12") == [None]  # many cities number their wards
    assert provinces(gaz, "ngụ phường 12, quận 4") == ["Hồ Chí Minh"] * 2  # one numbers its quận
    assert provinces(gaz, "tại phường An Phú, quận 2") == ["Hồ Chí Minh"] * 2  # merged in 2021
    assert provinces(gaz, "ngụ phường 12, quận 4, TP.HCM") == ["Hồ Chí Minh"] * 3
    assert provinces(gaz, "Công an Q.2", context_provinces=["TPHCM"]) == ["Hồ Chí Minh"]  # merged in 2021


def test_communes(gaz: Gazetteer) -> None:
    (m,) = find(gaz, "trú tại xã Ea Kao")
    assert (m.level, m.commune, m.district, m.province) == ("commune", "Ea Kao", "Buôn Ma Thuột", "Đắk Lắk")
    assert provinces(gaz, "xã Tân Phú") == [None]
    assert provinces(gaz, "xã Tân Phú, huyện Tân Châu") == ["Tây Ninh", "Tây Ninh"]
    assert provinces(gaz, "xã Hòa Sơn, huyện Hòa Vang") == ["Đà Nẵng", "Đà Nẵng"]
    assert find(gaz, "Ảnh: X.Thắng") == []  # a byline, not "xã Thắng"


def test_city_named_like_its_province(gaz: Gazetteer) -> None:
    for text in ("UBND TP Thanh Hóa", "thành phố Thanh Hóa", "TP.Thanh Hóa"):
        assert provinces(gaz, text) == ["Thanh Hóa"]
    assert provinces(gaz, "TP Hà Tĩnh") == ["Hà Tĩnh"]


def test_foreign_places(gaz: Gazetteer) -> None:
    found = find(gaz, "Nhập lậu từ Campuchia rồi bán sang Mỹ, không qua Mỹ Tho.")
    assert [(m.text, m.level, m.foreign, m.province) for m in found] == [
        ("Campuchia", "foreign", True, None), ("Mỹ", "foreign", True, None),
        ("Mỹ Tho", "district", False, "Tiền Giang")]
    assert find(gaz, "Anh Nguyễn Văn Đức cho biết") == []
    assert [m.text for m in find(gaz, "lao động sang Đức")] == ["Đức"]
    # a head of state or a parliament names the country: "Pháp" alone is also "law"
    assert [m.text for m in find(gaz, "Tổng thống Pháp thăm Quốc hội Anh, bàn về pháp luật")] == ["Pháp", "Anh"]
    # spelled as the press spells it: "Italia" as well as "Italy" and "Ý"
    assert [(m.text, m.foreign) for m in find(gaz, "vụ tai nạn diễn ra tại Italia, gần Rome")] == [
        ("Italia", True), ("Rome", True)]
    # soldiers and governments name their country; so do the Vietnamese spellings of it
    assert [m.text for m in find(gaz, "Quan sát lính Nga tập bắn; quân đội Nhật tập trận ở Mali")] == [
        "Nga", "Nhật", "Mali"]
    assert [m.text for m in find(gaz, "Phái đoàn sang Ô-xtrây-li-a và Niu Di-lân")] == ["Ô-xtrây-li-a", "Niu Di-lân"]
    assert find(gaz, "lính cứu hỏa Đức Anh có mặt") == []  # a name after the cue is still a name
    # the provinces of the neighbours Vietnamese workers go to: a strike at Samsung's Korean plants is abroad
    assert [(m.text, m.foreign) for m in find(gaz, "dây chuyền sản xuất chip ở Hwaseong, tỉnh Gyeonggi")] == [
        ("Hwaseong", True), ("Gyeonggi", True)]
    assert [m.text for m in find(gaz, "ông Cao Hùng cho biết")] == []  # a name, unless a cue makes it Taiwan's city


def test_names_in_force_when_published(gaz: Gazetteer) -> None:
    assert gaz.province_as_of("Bắc Giang", "2024-05-01") == ("Bắc Giang", "24")
    assert gaz.province_as_of("Bắc Giang", None) == ("Bắc Giang", "24")
    assert gaz.province_as_of("Bắc Giang", "2025-09-01") == ("Bắc Ninh", "24")
    assert gaz.province_as_of("Bắc Giang", "2025-07") == ("Bắc Ninh", "24")
    assert gaz.province_as_of("Hà Nội", "2025-09-01") == ("Hà Nội", "01")
    assert gaz.to_2025("Thừa Thiên Huế") == ("Huế", "46")
    assert gaz.to_2025("Long An") == ("Tây Ninh", "80")


def test_post_merger_text_resolves_through_2025_units(gaz: Gazetteer) -> None:
    # Hàm Thắng was in Bình Thuận, which became part of Lâm Đồng in July 2025
    (ward, prov) = find(gaz, "Công an phường Hàm Thắng, tỉnh Lâm Đồng")
    assert (ward.province, prov.province) == ("Bình Thuận", "Lâm Đồng")
    assert gaz.province_as_of(ward.province or "", "2025-08-01") == ("Lâm Đồng", "68")


def test_gazetteer_tables(gaz: Gazetteer) -> None:
    rows = list(read_tsv("gazetteer", "provinces.tsv"))
    assert sum(r["era"] == "pre2025" for r in rows) == 63
    assert sum(r["era"] == "2025" for r in rows) == 34
    assert len(list(read_tsv("gazetteer", "districts.tsv"))) > 690
    assert len(list(read_tsv("gazetteer", "communes.tsv"))) > 10000
    assert check_curated() == []


@pytest.mark.skipif(not SPEC.exists(), reason="shared spec not available")
def test_provinces_agree_with_spec() -> None:
    with SPEC.open(encoding="utf-8", newline="") as fh:
        spec = {(r["code_pre2025"], r["short_pre2025"], r["name_pre2025"], r["code_2025"], r["short_2025"])
                for r in csv.DictReader(fh, delimiter="\t")}
    ours = {(r["code"], r["short"], r["name"], r["code_2025"], r["short_2025"])
            for r in read_tsv("gazetteer", "provinces.tsv") if r["era"] == "pre2025"}
    assert ours == spec


def test_where_a_person_lives_is_marked_as_residence(gaz: Gazetteer) -> None:
    found = find(gaz, "Công an TP Hà Tĩnh bắt giữ Đặng Văn H. (SN 1994, trú tại xã Nghi Long, huyện Nghi Lộc, "
                      "Nghệ An) về hành vi trộm cắp tại huyện Thạch Hà.")
    assert [(m.province, m.residence) for m in found if m.level != "province" or m.province] == [
        ("Hà Tĩnh", False), ("Nghệ An", True), ("Nghệ An", True), ("Nghệ An", True), ("Hà Tĩnh", False)]
    # a unit's abbreviation does not end the clause; a quoted lawyer's bar is no place of the event
    assert [(m.text, m.residence) for m in find(gaz, "Nguyễn Văn A (trú Q.1, TP. HCM) bị bắt ở Hà Tĩnh.")] == [
        ("Q.1", True), ("TP. HCM", True), ("Hà Tĩnh", False)]
    assert [(m.text, m.residence) for m in find(gaz, "Luật sư C (Đoàn luật sư TP.HCM) cho biết vụ việc ở Hà Tĩnh")] == [
        ("TP.HCM", True), ("Hà Tĩnh", False)]
    # a sentence's full stop still ends it
    assert [(m.text, m.residence) for m in find(gaz, "A trú tại Hà Nội. Sáng 5/6 tại TP.HCM xảy ra vụ cháy")] == [
        ("Hà Nội", True), ("TP.HCM", False)]


def test_districts_merged_away_before_2025_are_read_in_archives_but_yield_to_todays(gaz: Gazetteer) -> None:
    (district,) = [p for p in gaz.find("Tai nạn tại huyện Tĩnh Gia") if p.level == "district"]
    assert (district.province, district.district) == ("Thanh Hóa", "Tĩnh Gia")
    # Hòa Bình's former Kỳ Sơn does not take the Kỳ Sơn of Nghệ An that exists today
    (district,) = [p for p in gaz.find("Công an huyện Kỳ Sơn bắt giữ hai đối tượng") if p.level == "district"]
    assert district.province == "Nghệ An"


def test_the_ends_of_a_route_are_named_in_passing(gaz: Gazetteer) -> None:
    found = find(gaz, "xe khách chạy tuyến Hà Nội - Lào Cai gặp nạn tại Yên Bái")
    assert [(m.province, m.incidental) for m in found] == [("Hà Nội", True), ("Lào Cai", True), ("Yên Bái", False)]
    # so are the ends of a journey, but not a place a period runs from
    found = find(gaz, "chở heroin từ Mai Châu (Hòa Bình) sang Trung Quốc thì bị bắt tại phường Hải Hòa (Móng Cái)")
    assert [(m.text, m.incidental) for m in found] == [
        ("Mai Châu", True), ("Hòa Bình", True), ("Trung Quốc", True), ("phường Hải Hòa", False), ("Móng Cái", False)]
    assert not any(m.incidental for m in find(gaz, "Từ tháng 3 đến nay, tại huyện Nghi Lộc (Nghệ An) xảy ra 5 vụ"))
    found = find(gaz, "xe khách chở 10 hành khách chạy từ TP Hồ Chí Minh đi Đà Nẵng thì bốc cháy tại huyện Đức Phổ")
    assert [(m.text, m.incidental) for m in found] == [
        ("TP Hồ Chí Minh", True), ("Đà Nẵng", True), ("huyện Đức Phổ", False)]
    # and the office an impostor claims, up to where the victim was
    found = find(gaz, "một người tự xưng là cán bộ Công an quận Hai Bà Trưng, Hà Nội gọi điện cho bà L. ở Đà Nẵng")
    assert [(m.text, m.incidental) for m in found] == [
        ("quận Hai Bà Trưng", True), ("Hà Nội", True), ("Đà Nẵng", False)]
    # and where an offender fled or hid afterwards
    found = find(gaz, "ông Để rút súng bắn anh Kiệt tại xã Phú An rồi lên xe bỏ về TP HCM")
    assert [(m.text, m.incidental) for m in found] == [("xã Phú An", False), ("TP HCM", True)]
    found = find(gaz, "bị bắt khi đang lẩn trốn tại nhà con gái ở Bình Dương")
    assert [(m.province, m.incidental) for m in found] == [("Bình Dương", True)]


def test_a_commune_the_text_places_in_another_district_keeps_no_district_from_the_table(gaz: Gazetteer) -> None:
    # Gia Lâm's xã Kim Sơn was merged away before 2025; the table knows only Sơn Tây's
    found = gaz.find("Công an huyện Gia Lâm (Hà Nội) bắt quả tang 20 đối tượng đánh bạc tại xã Kim Sơn.")
    commune = next(m for m in found if m.level == "commune")
    assert (commune.province, commune.district, commune.commune) == ("Hà Nội", None, "Kim Sơn")
    alone = next(m for m in gaz.find("Vụ việc xảy ra tại xã Kim Sơn, thị xã Sơn Tây, Hà Nội.") if m.level == "commune")
    assert (alone.province, alone.district) == ("Hà Nội", "Sơn Tây")
    # a ward missing from the table is not the commune of the same name in a province the text never names
    found = gaz.find("Công an phường Tam Thuận, quận Thanh Khê, TP.Đà Nẵng bắt đối tượng.")
    assert [(m.text, m.province) for m in found] == [
        ("phường Tam Thuận", None), ("quận Thanh Khê", "Đà Nẵng"), ("TP.Đà Nẵng", "Đà Nẵng")]
    assert [m.province for m in gaz.find("trú tại xã Tam Thuận")] == ["Hà Nội"]
