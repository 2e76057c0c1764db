"""Numbers and counts: formats, words, qualifiers, units, money, and what is never a count."""

from __future__ import annotations

import pytest

from pipeline.extract.numbers import find_counts, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2.600", 2600),
        ("1,5", 1.5),
        ("02", 2),
        ("12.345.678", 12345678),
        ("1.5", 1.5),
        ("3.137,21", 3137.21),
        ("hai", 2),
        ("mười", 10),
        ("mười lăm", 15),
        ("hai mươi", 20),
        ("hai mươi lăm", 25),
        ("hai mươi mốt", 21),
        ("ba mươi tư", 34),
        ("một trăm linh năm", 105),
        ("ba nghìn", 3000),
        ("bốn ngàn", 4000),
        ("hai tỷ năm trăm triệu", 2_500_000_000),
        ("3 triệu", 3_000_000),
        ("1,5 tỷ", 1_500_000_000),
        ("2 tỷ 500 triệu", 2_500_000_000),
        ("1,2 tỉ", 1_200_000_000),
        ("một nghìn tỷ", 1_000_000_000_000),
        ("một triệu rưỡi", 1_500_000),
        ("nửa", 0.5),
        ("một nửa", 0.5),
        ("chục", 10),
        ("vài chục", 20),
        ("hàng trăm", 100),
        ("hàng chục nghìn", 10000),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["năm 2019", "công nhân", "hàng", "2 tỷ 500", "hai ba", ""])
def test_parse_number_rejects_what_is_not_one_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Chiều qua có khoảng 900 công nhân nghỉ việc.", [("khoảng 900 công nhân", 900, "people", "approx")]),
        ("Toàn huyện ghi nhận 05 vụ, thu hút gần 3.400 lượt người tham gia.",
         [("05 vụ", 5, "incidents", "exact"), ("gần 3.400 lượt người", 3400, "people", "approx")]),
        ("Công an đã bắt giữ 03 đối tượng và khởi tố 12 bị can.",
         [("03 đối tượng", 3, "suspects", "exact"), ("12 bị can", 12, "suspects", "exact")]),
        ("Sáu bị cáo hầu tòa.", [("Sáu bị cáo", 6, "suspects", "exact")]),
        ("Công đoàn tổ chức 150 cuộc đối thoại định kỳ.", [("150 cuộc đối thoại", 150, "sessions", "exact")]),
        ("Nhóm này đã lừa hơn 250 nạn nhân.", [("hơn 250 nạn nhân", 250, "victims", "at_least")]),
        ("Hoa nhận tiền của 40 người rồi chiếm đoạt.", [("40 người", 40, "victims", "exact")]),
        ("Ngọn lửa thiêu rụi hơn 100 ki-ốt.", [("hơn 100 ki-ốt", 100, "other", "at_least")]),
        ("Vụ cháy làm 3 người chết và 4 người bị thương nhẹ.",
         [("3 người chết", 3, "deaths", "exact"), ("4 người bị thương", 4, "injuries", "exact")]),
        ("Vụ nổ khiến 5 thực khách bị thương.", [("5 thực khách bị thương", 5, "injuries", "exact")]),
        ("Vụ sập giàn giáo khiến 02 công nhân tử vong tại chỗ.",
         [("02 công nhân tử vong", 2, "deaths", "exact")]),
        ("Tai nạn làm chết 5 người tại chỗ.", [("5 người", 5, "deaths", "exact")]),
        ("Vụ nổ khiến 7 người đang làm việc trong xưởng thiệt mạng.", [("7 người", 7, "deaths", "exact")]),
        ("Lực lượng chức năng bắt được ba thanh niên.", [("ba thanh niên", 3, "suspects", "exact")]),
        ("Cú va chạm khiến hai vợ chồng anh Tâm tử vong tại chỗ.",
         [("hai vợ chồng anh Tâm tử vong", 2, "deaths", "exact")]),
        ("Có 12 doanh nghiệp và 3 cơ sở bị kiểm tra.",
         [("12 doanh nghiệp", 12, "companies", "exact"), ("3 cơ sở", 3, "companies", "exact")]),
        ("Đã tổ chức 41 buổi tuyên truyền và 2 hội nghị.",
         [("41 buổi", 41, "sessions", "exact"), ("2 hội nghị", 2, "sessions", "exact")]),
        ("Tổ công tác thực hiện 30 lượt tuần tra.", [("30 lượt tuần tra", 30, "sessions", "exact")]),
        ("Hàng trăm công nhân tụ tập trước cổng.", [("Hàng trăm công nhân", 100, "people", "at_least")]),
        ("Có hàng nghìn người lao động bị ảnh hưởng.",
         [("hàng nghìn người lao động", 1000, "people", "at_least")]),
        ("Có vài chục người đứng xem.", [("vài chục người", 20, "people", "at_least")]),
        ("Công ty nợ lương trên 600 lao động.", [("trên 600 lao động", 600, "people", "at_least")]),
        ("Ước tính khoảng 40 hộ kinh doanh bị ảnh hưởng.",
         [("Ước tính khoảng 40 hộ kinh doanh", 40, "companies", "approx")]),
        ("Dưới 50 người tham gia.", [("Dưới 50 người", 50, "people", "at_most")]),
        ("Chưa đến 20 xe máy bị tạm giữ.", [("Chưa đến 20 xe máy", 20, "other", "at_most")]),
        ("Tối đa 8 đợt ra quân.", [("Tối đa 8 đợt", 8, "sessions", "at_most")]),
        ("Thu giữ 2,7 kg ma túy đá và 4 bánh heroin.",
         [("2,7 kg", 2.7, "other", "exact"), ("4 bánh heroin", 4, "other", "exact")]),
        ("Thu giữ hơn 120kg pháo nổ.", [("hơn 120kg", 120, "other", "at_least")]),
        ("Tịch thu 3 khẩu súng và 14 viên đạn.",
         [("3 khẩu súng", 3, "other", "exact"), ("14 viên đạn", 14, "other", "exact")]),
        ("Bắt quả tang 04 (bốn) đối tượng.", [("04 (bốn) đối tượng", 4, "suspects", "exact")]),
        ("Vụ cháy gây thiệt hại khoảng 2,5 tỷ.", [("khoảng 2,5 tỷ", 2_500_000_000, "money_vnd", "approx")]),
        ("Tỉnh có dân số 2 triệu.", []),
        # money in another currency is never đồng; a vehicle's wheels count nothing
        ("Hợp đồng trị giá 3,7 tỷ bảng (4,42 tỷ USD); thu giữ 20.000 NDT.",
         [("3,7 tỷ bảng", 3_700_000_000, "other", "exact"), ("4,42 tỷ USD", 4_420_000_000, "other", "exact"),
          ("20.000 NDT", 20_000, "other", "exact")]),
        ("Xe máy chạy trên làn xe hai bánh.", []),
        # who did it and who it was done to, from the offence after the person noun
        ("Hai thanh niên cướp điện thoại rồi tẩu thoát.", [("Hai thanh niên cướp", 2, "suspects", "exact")]),
        ("Bắt quả tang 5 người đánh bạc; 2 người bị cướp giật túi xách.",
         [("5 người đánh bạc", 5, "suspects", "exact"), ("2 người bị cướp giật", 2, "victims", "exact")]),
        # a role word after another person belongs to that person; an electric shock snatches nothing
        ("Thêm 3 người dân có tiếp xúc với nạn nhân tử vong được uống thuốc.", [("3 người dân", 3, "people", "exact")]),
        ("Vụ việc khiến 2 công nhân bị điện giật tử vong.", [("2 công nhân", 2, "deaths", "exact")]),
        # done to them: "bị đâm", "bị chém" make victims, with the outcome as the role when told
        ("Một bảo vệ vừa bị đâm chết; 2 người bị chém trọng thương; 3 người bị hành hung.",
         [("Một bảo vệ vừa bị đâm chết", 1, "deaths", "exact"),
          ("2 người bị chém trọng thương", 2, "injuries", "exact"), ("3 người bị hành hung", 3, "victims", "exact")]),
        ("Bệnh viện tiếp nhận 3 ca ngộ độc; lực lượng cứu hộ dùng 2 ca nô.",
         [("3 ca", 3, "incidents", "exact"), ("2 ca nô", 2, "other", "exact")]),
    ],
)
def test_find_counts(sentence: str, expected: list[tuple[str, float, str, str]]) -> None:
    found = find_counts(sentence)
    assert [(c.text, c.value, c.unit, c.qualifier) for c in found] == expected
    for c in found:
        assert sentence[c.start:c.end] == c.text


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Đối tượng chiếm đoạt 1,5 tỷ đồng.", 1_500_000_000),
        ("Thiệt hại 300 triệu đồng.", 300_000_000),
        ("Mỗi vé 20.000 đồng.", 20_000),
        ("Tổng số tiền 2 tỷ 500 triệu đồng.", 2_500_000_000),
        ("Anh ta lấy 450.000đ trong ví.", 450_000),
        ("Khoản nợ hơn 1.200 tỉ đồng.", 1_200_000_000_000),
        ("Bị lừa sáu trăm nghìn đồng.", 600_000),
    ],
)
def test_money_is_converted_to_dong(sentence: str, value: float) -> None:
    (count,) = find_counts(sentence)
    assert (count.unit, count.value) == ("money_vnd", value)


@pytest.mark.parametrize(
    ("sentence", "per_unit"),
    [
        ("Mức lương 5 triệu đồng/tháng.", True),
        ("Giá đất 4 triệu đồng/m2.", True),
        ("Công ty trả 300.000 đồng mỗi ngày.", True),
        ("Nhà cái quy ước 1 điểm = 15 nghìn đồng.", True),
        ("Đối tượng đã lừa 36 người lao động mỗi người một khoản phí.", False),
        ("Công ty còn nợ 5 triệu đồng tiền lương.", False),
    ],
)
def test_rates_and_prices_are_flagged(sentence: str, per_unit: bool) -> None:
    (count,) = find_counts(sentence)
    assert count.per_unit is per_unit


def test_a_range_is_no_count() -> None:
    found = find_counts("Nộp tiền từ 500.000 đồng đến 2 triệu đồng, tổng số tiền chiếm đoạt khoảng 400 triệu đồng.")
    assert [c.value for c in found] == [400_000_000]
    spelled = find_counts("thì bị phạt tiền từ một triệu đồng đến mười triệu đồng, bắt giữ 3 đối tượng.")
    assert [(c.unit, c.value) for c in spelled] == [("suspects", 3)]


def test_noun_is_the_counted_noun_as_written() -> None:
    found = find_counts("Có khoảng 2.100 lượt công nhân và 15 Doanh nghiệp.")
    assert [c.noun for c in found] == ["lượt công nhân", "Doanh nghiệp"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Sáng 12/3, công an có mặt.",
        "Vụ việc xảy ra ngày 5-6-2019 tại huyện.",
        "Năm 2023, tỉnh có 2 dự án.",
        "Ông Nguyễn Văn A (SN 1990) trú tại xã.",
        "Bị can (25 tuổi) khai nhận.",
        "Tội danh theo Điều 134 Bộ luật Hình sự.",
        "Áp dụng Nghị định 100/2019/NĐ-CP.",
        "Xe ô tô biển số 51A-123.45 bị giữ.",
        "Liên hệ số điện thoại 0912.345.678.",
        "Nhà số 12 đường Trần Phú.",
        "Đây là lần thứ 3 anh ta vi phạm.",
        "Căn hộ rộng 25 - 30 m2.",
        "Tỷ lệ 60% người lao động đồng ý.",
        "Đội bóng thắng 2-1.",
        "Anh ta lại vi phạm một lần nữa.",
        "Lúc 8h, đoàn kiểm tra đến.",
        "Đội PCCC đưa 5 xe chữa cháy tới hiện trường.",
        "Gần nửa người dân trong xã đã được tiêm phòng.",
        "Lâm tặc mở 2 con đường, tập kết gỗ tại 1 con hẻm.",
        "Một bộ phận người dân chưa chấp hành.",
        "Công ty chia làm hai ca ăn trưa, 3 ca làm việc.",
        "Tay lái 7 lần vô địch thế giới vẫn nằm bất động.",
    ],
)
def test_never_counts(sentence: str) -> None:
    assert find_counts(sentence) == []


def test_a_number_word_capitalised_inside_a_sentence_is_a_name() -> None:
    assert find_counts("TAND tuyên phạt Triệu Thị Phương Loan tù chung thân, bồi thường 2 tỷ đồng.")[0].value \
        == 2_000_000_000
    assert len(find_counts("TAND tuyên phạt Triệu Thị Phương Loan tù chung thân.")) == 0
    assert [c.value for c in find_counts("Hậu quả: Hai người chết tại chỗ.")] == [2]


def test_a_statistic_that_names_the_toll_before_the_people_gives_their_roles() -> None:
    found = find_counts("Xảy ra 120 vụ, làm chết 95 người, bị thương 60 người.")
    assert [(c.unit, c.value) for c in found] == [("incidents", 120), ("deaths", 95), ("injuries", 60)]
    # a role word that leads the next figure is that figure's, not the one before it
    found = find_counts("Xảy ra 1.569 vụ, làm chết 643 người và làm bị thương 1.348 người.")
    assert [(c.unit, c.value) for c in found] == [("incidents", 1569), ("deaths", 643), ("injuries", 1348)]
    found = find_counts("Vụ tai nạn làm chết hai người và bị thương ba người khác.")
    assert [(c.unit, c.value) for c in found] == [("deaths", 2), ("injuries", 3)]
    assert [c.unit for c in find_counts("Vụ tai nạn khiến 2 người bị thương nặng.")] == ["injuries"]
    found = find_counts("Hai người đàn ông dùng súng chích điện để trộm hai chú chó.")
    assert [(c.unit, c.value) for c in found] == [("suspects", 2)]


def test_the_people_an_accident_befell_are_its_victims() -> None:
    found = find_counts("16 vụ tai nạn lao động làm 18 người bị nạn, trong đó 7 người chết.")
    assert [(c.unit, c.value) for c in found] == [("incidents", 16), ("victims", 18), ("deaths", 7)]
