"""Time expressions: day forms, periods, year inference, relative words, non-dates."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from pipeline.document import Article
from pipeline.extract import mentions
from pipeline.extract.dates import TimeMention, article_year, find_times
from pipeline.extractor import Extractor
from pipeline.resources import data_path

REF = date(2024, 5, 20)


def _one(sentence: str, **kw: object) -> TimeMention:
    found = find_times(sentence, **kw)  # type: ignore[arg-type]
    assert len(found) == 1, found
    assert sentence[found[0].start:found[0].end] == found[0].text
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "text", "start", "end"),
    [
        ("Ngày 21/5/2014, công an phát hiện vụ việc.", "Ngày 21/5/2014", "2014-05-21", "2014-05-21"),
        ("Vụ việc xảy ra 21-5-2014 tại xã.", "21-5-2014", "2014-05-21", "2014-05-21"),
        ("Rạng sáng 3/4, lửa bùng lên.", "Rạng sáng 3/4", "2024-04-03", "2024-04-03"),
        ("Sáng 12/3, hàng trăm công nhân tập trung.", "Sáng 12/3", "2024-03-12", "2024-03-12"),
        ("Chiều 24-8, đoàn kiểm tra đến.", "Chiều 24-8", "2023-08-24", "2023-08-24"),
        ("Tối ngày 5/2, nhóm thanh niên đánh nhau.", "Tối ngày 5/2", "2024-02-05", "2024-02-05"),
        ("Khoảng 0h ngày 1.2, xe bị cháy.", "Khoảng 0h ngày 1.2", "2024-02-01", "2024-02-01"),
        ("Ngày 10.5, tòa tuyên án.", "Ngày 10.5", "2024-05-10", "2024-05-10"),
        ("Khoảng 21 giờ 30 phút ngày 16/5, xảy ra va chạm.", "Khoảng 21 giờ 30 phút ngày 16/5",
         "2024-05-16", "2024-05-16"),
        ("Sáng thứ Hai (13/5), công nhân đình công.", "Sáng thứ Hai (13/5)", "2024-05-13", "2024-05-13"),
        ("Ngày 2 tháng 4 năm 2019 xảy ra vụ cháy.", "Ngày 2 tháng 4 năm 2019", "2019-04-02", "2019-04-02"),
        ("Trong năm 2023, toàn tỉnh xảy ra 9 vụ.", "Trong năm 2023", "2023", "2023"),
        ("Tháng 3/2019, công ty nợ lương.", "Tháng 3/2019", "2019-03", "2019-03"),
        ("Trong tháng 3 năm 2019 có 2 vụ.", "Trong tháng 3 năm 2019", "2019-03", "2019-03"),
        ("Trong 8 tháng năm 2023, có 14 vụ.", "Trong 8 tháng năm 2023", "2023-01", "2023-08"),
        ("6 tháng đầu năm 2024, có 3 vụ.", "6 tháng đầu năm 2024", "2024-01", "2024-06"),
        ("6 tháng cuối năm 2022, có 3 vụ.", "6 tháng cuối năm 2022", "2022-07", "2022-12"),
        ("Sáu tháng đầu năm 2024, có 3 vụ.", "Sáu tháng đầu năm 2024", "2024-01", "2024-06"),
        ("Trong chín tháng cuối năm 2022, có 3 vụ.", "Trong chín tháng cuối năm 2022", "2022-04", "2022-12"),
        ("Trong quý I/2024 xảy ra 2 vụ.", "Trong quý I/2024", "2024-01", "2024-03"),
        ("Quý III năm 2021 có 5 vụ.", "Quý III năm 2021", "2021-07", "2021-09"),
        ("Từ đầu năm 2025 đến nay, xảy ra 4 vụ.", "Từ đầu năm 2025 đến nay", "2025", None),
        ("Trong giai đoạn 2018 - 2023, tỉnh có 30 vụ.", "giai đoạn 2018 - 2023", "2018", "2023"),
        ("Từ năm 2021 đến nay, có 7 vụ.", "Từ năm 2021 đến nay", "2021", None),
        ("Từ ngày 1/3 đến 15/3, công an ra quân.", "Từ ngày 1/3 đến 15/3", "2024-03-01", "2024-03-15"),
        ("Từ ngày 1 đến 15/3, công an ra quân.", "Từ ngày 1 đến 15/3", "2024-03-01", "2024-03-15"),
        ("Từ ngày 28/12/2022 đến 3/1/2023 có 2 vụ.", "Từ ngày 28/12/2022 đến 3/1/2023",
         "2022-12-28", "2023-01-03"),
        ("Từ tháng 10/2011 đến tháng 7/2012, chúng lừa 40 người.", "Từ tháng 10/2011 đến tháng 7/2012",
         "2011-10", "2012-07"),
        ("Trong tháng 8, tháng 9 và tháng 10/2023 có 3 vụ.", "Trong tháng 8, tháng 9 và tháng 10/2023",
         "2023-08", "2023-10"),
        ("Kể từ ngày 1/12/2020, công nhân nghỉ việc.", "Kể từ ngày 1/12/2020", "2020-12-01", None),
        ("Tính đến ngày 30/6/2022, còn nợ 2 tỷ đồng.", "Tính đến ngày 30/6/2022", None, "2022-06-30"),
        ("Tính đến hết tháng 11/2020, có 3 doanh nghiệp.", "Tính đến hết tháng 11/2020", None, "2020-11"),
        ("Tính đến cuối năm 2023, có 3 doanh nghiệp.", "Tính đến cuối năm 2023", "2023", "2023"),
        ("Sáng 8/5 và 9/5, công nhân ngừng việc.", "Sáng 8/5 và 9/5", "2024-05-08", "2024-05-09"),
        ("Trong hai ngày 5 và 6/3 có mưa lớn.", "ngày 5 và 6/3", "2024-03-05", "2024-03-06"),
        ("Chiều qua (19/5), xe bị lật.", "Chiều qua (19/5)", "2024-05-19", "2024-05-19"),
        ("Trong 10 năm qua, có 9 vụ.", "10 năm qua", "2014", None),
    ],
)
def test_forms(sentence: str, text: str, start: str | None, end: str | None) -> None:
    m = _one(sentence, reference=REF)
    assert (m.text, m.start_date, m.end_date) == (text, start, end)


@pytest.mark.parametrize(
    ("sentence", "is_period"),
    [
        ("Sáng 12/3, công nhân đình công.", False),
        ("Năm 2023, tỉnh có 2 vụ.", True),
        ("Tháng 3/2019 có 2 vụ.", True),
        ("Từ đầu năm đến nay có 5 vụ.", True),
        ("Trong tháng, lực lượng ra quân 4 đợt.", True),
        ("Thời gian qua, lực lượng ra quân 4 đợt.", True),
    ],
)
def test_periods_are_marked(sentence: str, is_period: bool) -> None:
    assert _one(sentence, reference=REF).is_period is is_period


@pytest.mark.parametrize("reference", [REF, None])
@pytest.mark.parametrize(
    ("sentence", "statistic"),
    [
        ("Đám cháy kéo dài từ 13h30 ngày 5/6 đến khoảng 13h ngày 6/6.", False),  # one fire
        ("Công nhân ngừng việc từ ngày 28/12 đến ngày 2/1.", False),  # one strike, across the new year
        ("Từ ngày 1/1 đến ngày 30/6, toàn tỉnh xảy ra 20 vụ cháy.", True),
        ("Tháng 3/2019 có 2 vụ.", False),  # a month named on its own dates one occurrence
        ("Năm 2023, tỉnh có 2 vụ.", True),
    ],
)
def test_a_few_days_span_one_occurrence_and_a_longer_period_a_statistic(
        reference: date | None, sentence: str, statistic: bool) -> None:
    assert _one(sentence, reference=reference).spans_a_statistic is statistic


@pytest.mark.parametrize(
    ("reference", "sentence", "start"),
    [
        (date(2019, 1, 5), "Ngày 28/12, công nhân ngừng việc.", "2018-12-28"),
        (date(2019, 1, 5), "Ngày 2/1, công nhân ngừng việc.", "2019-01-02"),
        (date(2019, 1, 5), "Ngày 20/2, công nhân ngừng việc.", "2019-02-20"),
        (date(2019, 1, 5), "Tháng 11, công ty nợ lương.", "2018-11"),
        (date(2024, 12, 30), "Sáng 29/12, tòa xét xử.", "2024-12-29"),
    ],
)
def test_yearless_dates_take_the_year_around_the_reference(
    reference: date, sentence: str, start: str
) -> None:
    assert _one(sentence, reference=reference).start_date == start


def test_yearless_date_without_reference() -> None:
    assert _one("Sáng 12/3, công nhân đình công.", default_year=2017).start_date == "2017-03-12"
    bare = _one("Sáng 12/3, công nhân đình công.")
    assert (bare.text, bare.start_date, bare.end_date) == ("Sáng 12/3", None, None)


def test_article_year_is_read_only_for_a_yearless_date() -> None:
    """The article's year costs a pass over the whole text: asked only when a date lacks one."""
    asked: list[int] = []

    def year() -> int:
        asked.append(1)
        return 2017

    assert _one("Ngày 12/3/2016, công nhân đình công.", default_year=year).start_date == "2016-03-12"
    assert _one("Sáng 12/3, công nhân đình công.", reference=REF, default_year=year).start_date == "2024-03-12"
    assert asked == []
    assert _one("Sáng 12/3, công nhân đình công.", default_year=year).start_date == "2017-03-12"
    assert asked == [1]


@pytest.mark.parametrize(
    ("sentence", "start", "end"),
    [
        ("Hôm qua, công nhân đình công.", "2024-05-19", "2024-05-19"),
        ("Hôm nay, công nhân trở lại làm việc.", "2024-05-20", "2024-05-20"),
        ("Chiều qua, xảy ra tai nạn.", "2024-05-19", "2024-05-19"),
        ("Tuần trước, công an bắt 2 đối tượng.", "2024-05-13", "2024-05-19"),
        ("Tháng trước, xảy ra 3 vụ.", "2024-04", "2024-04"),
        ("Năm ngoái, xảy ra 3 vụ.", "2023", "2023"),
        ("Từ đầu năm đến nay có 5 vụ.", "2024", None),
    ],
)
def test_relative_words_with_reference(sentence: str, start: str, end: str | None) -> None:
    m = _one(sentence, reference=REF)
    assert (m.start_date, m.end_date, m.relative) == (start, end, True)


@pytest.mark.parametrize("sentence", ["Hôm qua, công nhân đình công.", "Tuần trước có 2 vụ.",
                                      "Năm ngoái có 3 vụ."])
def test_relative_words_without_reference_keep_the_text_only(sentence: str) -> None:
    m = _one(sentence)
    assert m.relative and m.start_date is None and m.end_date is None


def test_same_day_refers_to_the_anchor() -> None:
    m = _one("Khoảng 14 giờ cùng ngày, xe bốc cháy.", reference=REF, anchor=date(2024, 5, 18))
    assert (m.text, m.start_date, m.anaphoric) == ("Khoảng 14 giờ cùng ngày", "2024-05-18", True)
    assert _one("Khoảng 14 giờ cùng ngày, xe bốc cháy.", reference=REF).start_date is None


def test_in_the_year_is_the_year_last_written_else_the_year_of_writing() -> None:
    january = date(2024, 1, 10)  # a review of 2023 written in January 2024
    assert _one("Trong năm, xảy ra 6 vụ ngừng việc.", reference=january, anchor_year=2023).start_date == "2023"
    assert _one("Trong năm, xảy ra 6 vụ ngừng việc.", reference=january).start_date == "2024"
    assert _one("Điều chỉnh lương trong năm tới.", reference=january).start_date == "2025"


def rule_extractor() -> Extractor:
    """The rule pipeline of data/config/pipeline.toml, which dates events with no learned part."""
    with data_path("config", "pipeline.toml").open("rb") as fh:
        return Extractor.from_config(tomllib.load(fh))


def test_an_article_read_in_order_dates_in_the_year_by_the_year_it_named() -> None:
    extractor = rule_extractor()
    doc = extractor.document(Article(doc_id="y", published="2024-01-10", text=(
        "Tổng kết năm 2023\nNăm 2023, các KCN có 8 vụ ngừng việc tập thể.\n"
        "Cũng trong năm, công ty nợ lương 300 công nhân.")))
    last = mentions.times(doc, doc.sentences[-1])
    assert [(t.text, t.start_date) for t in last] == [("trong năm", "2023")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Công ty có 1.500 công nhân.",
        "Thực hiện Nghị định 100/2019/NĐ-CP về xử phạt.",
        "Theo Quyết định số 12/3 của UBND tỉnh.",
        "Đội chủ nhà thắng 2-1.",
        "Rút ngắn 1/3 thời gian thi công.",
        "Xử lý theo Bộ luật Hình sự năm 2015.",
        "Ông A sinh năm 1990.",
        "Bà Lê Thị H. (sinh ngày 26/8/1974, trú tại tổ 12) bị tố cáo.",
        "Giá tăng 1.2 lần.",
        "Ngày 31/4 không tồn tại.",
    ],
)
def test_not_dates(sentence: str) -> None:
    assert find_times(sentence, REF) == []


def test_a_birth_year_does_not_date_the_story() -> None:
    text = "Trưa 6/2, Võ Văn T. (SN 1989, trú tại huyện Nghi Lộc) dùng dao đâm anh H. (sinh năm 1990)."
    assert article_year(text) is None
    assert article_year(text + " Ngày 8/2/2017, Công an huyện đã bắt T.") == 2017
    assert article_year("Theo Nghị định 2015 và Luật số 2014, vụ việc xảy ra năm 2016.") == 2016
    assert article_year("Hơn 2000 người dập lửa. Điều 279 BLHS năm 1999 (sửa đổi, bổ sung năm 2009) nói rõ.") is None
    assert article_year("Xe tải BKS Lào UN-2043 gây tai nạn sáng 5/6/2017, ngày 6-6-2017 tài xế ra trình diện.") == 2017


def test_a_baseline_figures_are_compared_with_is_marked() -> None:
    found = find_times("Năm 2024 xảy ra 6 cuộc ngừng việc, giảm 4 cuộc so với cùng kỳ năm ngoái.", date(2025, 1, 5))
    assert [(t.text, t.compared) for t in found] == [("Năm 2024", False), ("năm ngoái", True)]


def test_a_statistic_is_not_dated_by_the_baseline_told_before_it() -> None:
    extractor = rule_extractor()
    article = Article(doc_id="cmp", published="2024-07-15", text="\n".join([
        "Tranh chấp lao động 6 tháng đầu năm",
        "6 tháng đầu năm 2024, tỉnh Bình Dương xảy ra 15 vụ ngừng việc tập thể.",
        "So với cùng kỳ năm ngoái, số vụ giảm 7 vụ.",
        "Ngoài ra, có 42 doanh nghiệp trên địa bàn tỉnh nợ bảo hiểm xã hội với số tiền hơn 120 tỷ đồng.",
    ]))
    debts = [e for e in extractor(article).events if e.type == "wage_arrears"]
    assert [(e.kind, e.time.start, e.time.end) for e in debts] == [("aggregate", "2024-01", "2024-06")]
