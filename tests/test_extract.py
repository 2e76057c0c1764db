"""Extractor components over whole articles: where an event happened, which figures count it."""

import tomllib

from models.count_filter import matched
from pipeline.document import Article, Event, Record
from pipeline.extract.cues import typed_labels
from pipeline.extractor import Extractor
from pipeline.resources import data_path


def rules(**counts: object) -> Extractor:
    with data_path("config", "pipeline.toml").open("rb") as fh:
        config = tomllib.load(fh)
    config["components"]["counts"].update(counts)
    return Extractor.from_config(config)


def figures(article: Article) -> list[tuple[str, float]]:
    """(unit, value) of every count the rule pipeline gives the article's events."""
    return [(c.unit, c.value) for e in rules()(article).events for c in e.counts]


THEFT = Article(
    doc_id="t1",
    text="Bắt hai đối tượng trộm cắp xe máy\n"
         "Công an huyện Thạch Hà (Hà Tĩnh) vừa bắt Đặng Văn H. (SN 1994, trú tại xã Nghi Long, huyện Nghi Lộc, "
         "Nghệ An) về hành vi trộm cắp tài sản.\n"
         "Trước đó, ngày 4/1, H. lấy đi 2 xe máy và 15 triệu đồng của một gia đình.",
)


def test_event_is_placed_where_it_happened_not_where_the_suspect_lives() -> None:
    record = rules()(THEFT)
    theft = [e for e in record.events if e.type == "theft"]
    assert theft and {e.location.province for e in theft} == {"Hà Tĩnh"}
    assert record.provinces == ["Hà Tĩnh"]


def test_a_suspects_home_still_places_an_event_when_nothing_else_does() -> None:
    article = Article(doc_id="t2", text="Bắt đối tượng trộm cắp\n"
                                        "Nguyễn Văn A. (trú tại huyện Nghi Lộc, Nghệ An) bị bắt về hành vi trộm cắp.")
    assert rules()(article).provinces == ["Nghệ An"]


def test_figures_of_the_sentences_that_go_on_telling_an_incident_are_its_counts() -> None:
    alone = rules(follow=0)(THEFT)
    told = rules(follow=2)(THEFT)
    assert not any(c.unit == "money_vnd" for e in alone.events for c in e.counts)
    money = [c for e in told.events if e.type == "theft" for c in e.counts if c.unit == "money_vnd"]
    assert [(c.value, c.text) for c in money] == [(15_000_000, "15 triệu đồng")]
    assert THEFT.text[money[0].start:money[0].end] == "15 triệu đồng"  # traceable to its own sentence


def test_a_proposed_count_is_confirmed_by_one_gold_count_of_its_type_unit_and_value() -> None:
    doc = rules(follow=2).document(THEFT)
    gold = {"relevant": True, "events": [
        {"type": "theft", "counts": [{"value": 15_010_000, "unit": "money_vnd"}, {"value": 2, "unit": "other"}]},
        {"type": "robbery", "counts": [{"value": 2, "unit": "suspects"}]},
    ]}
    confirmed = {(doc.events[i].type, doc.events[i].counts[j].unit, doc.events[i].counts[j].value)
                 for i, j in matched(doc, gold)}
    assert confirmed == {("theft", "money_vnd", 15_000_000), ("theft", "other", 2)}
    assert matched(doc, {**gold, "relevant": False}) == set()


def test_the_count_filter_sees_a_headline_figure_told_again() -> None:
    from models.count_filter import count_features

    article = Article(doc_id="h", text="Bắt 3 đối tượng trộm cắp xe máy\n"
                                       "Ngày 4/1, Công an huyện Thạch Hà bắt 3 đối tượng trộm cắp 2 xe máy.")
    doc = rules().document(article)
    features = {c.text: count_features(doc, e, c) for e in doc.events for c in e.counts}
    assert features["3 đối tượng"]["told_again"] == 1
    assert features["2 xe máy"]["told_again"] == 0


def test_a_figure_goes_to_the_event_whose_cue_it_stands_by() -> None:
    article = Article(doc_id="b1", text="Bắt quả tang\nNgày 3/5, Công an huyện Thạch Hà bắt 5 đối tượng đánh bạc, "
                                        "thu 20 triệu đồng; cùng ngày bắt 2 đối tượng mua bán ma túy.")
    counts = {e.type: [(c.value, c.unit) for c in e.counts] for e in rules()(article).events}
    assert counts == {"gambling": [(5, "suspects"), (20_000_000, "money_vnd")], "drugs": [(2, "suspects")]}


def types_of(*lines: str) -> list[str]:
    """The event types the rule pipeline gives an article of these lines, under a dateline that
    names a province (an article that names nothing of Vietnam is not relevant at all)."""
    return rules()(Article(doc_id="t", text="\n".join(["Tin Hà Nội", *lines]))).event_types


def kinds(text: str) -> set[str]:
    return {e.kind for e in rules()(Article(doc_id="k", text="Tin lao động Bình Dương\n" + text)).events}


def test_one_companys_debt_over_months_is_one_incident() -> None:
    assert kinds("Công ty giày Phú Lợi chậm trả lương cho 120 công nhân từ tháng 3/2024 đến nay.") == {"incident"}


def test_a_breakdown_that_counts_several_cases_is_a_statistic_whatever_precedes_it() -> None:
    _, found = told("drugs", "2019-07-10",
        "Đắk Lắk: 6 tháng đầu năm bắt giữ 230 đối tượng",
        "6 tháng đầu năm 2019, Công an tỉnh Đắk Lắk phát hiện 152 vụ phạm pháp hình sự, bắt giữ 230 đối tượng.",
        "Đó là thông tin được Công an tỉnh công bố ngày 9/7.",
        "Trong đó, lực lượng chức năng đã bắt giữ 45 vụ, 68 đối tượng mua bán trái phép chất ma túy.",
    )
    assert [e.kind for e in found] == ["aggregate"]


def test_the_state_of_the_injured_names_no_statistic() -> None:
    # "trong tình trạng nguy kịch" is how the injured are, not "tình trạng" of a trend
    assert kinds("Sau cú tông mạnh, hai thanh niên trên xe tử vong tại chỗ, 2 người khác bị thương nặng được đưa đi "
                 "cấp cứu trong tình trạng nguy kịch.") == {"incident"}


def test_a_trial_that_totals_its_sentences_is_one_incident() -> None:
    # "tổng cộng" sums the prison terms of one trial, or one victim's transfers; it names no period
    assert kinds("Chiều 13-6, TAND tỉnh Đắk Lắk tuyên phạt 4 bị cáo lừa đảo chiếm đoạt tài sản tổng cộng hơn 26 năm "
                 "tù giam.") == {"incident"}
    assert kinds("Từ đầu năm đến nay, toàn tỉnh xảy ra 03 vụ ngừng việc tập thể, tổng cộng 900 người tham gia.") == \
        {"aggregate"}


def test_one_companys_debt_since_the_start_of_the_year_is_one_incident() -> None:
    assert kinds("Từ đầu năm 2025, công ty còn nợ lương khoảng 12 tỷ đồng của 800 công nhân.") == {"incident"}
    # a province's count over the same period is a statistic, whatever company it names
    assert kinds("Từ đầu năm 2025, toàn tỉnh có hơn 2.000 công nhân bị doanh nghiệp nợ lương.") == {"aggregate"}


def test_a_period_and_several_companies_make_a_statistic() -> None:
    assert kinds("Trong năm 2023, Liên đoàn Lao động tỉnh đã khởi kiện 5 doanh nghiệp nợ lương.") == {"aggregate"}
    assert kinds("Từ đầu năm đến nay, các doanh nghiệp trên địa bàn để xảy ra 7 vụ đình công.") == {"aggregate"}


def test_a_company_named_beside_several_others_does_not_make_one_incident() -> None:
    assert kinds("Từ năm 2021 đến nay, Công đoàn thành phố đã khởi kiện 07 doanh nghiệp nợ bảo hiểm xã hội, "
                 "buộc doanh nghiệp khắc phục.") == {"aggregate"}


def test_a_month_named_on_its_own_dates_one_occurrence() -> None:
    assert kinds("Tháng trước, Đội Quản lý thị trường bắt quả tang xe bồn buôn lậu 13.000 lít xăng.") \
        == {"incident"}
    assert kinds("Trong tháng 3, lực lượng quản lý thị trường phát hiện 13 vụ buôn lậu xăng dầu.") == {"aggregate"}


def test_a_day_named_tells_what_happened_that_day() -> None:
    assert kinds("Ngày 8/5, hàng trăm công nhân khu công nghiệp Tân Tạo đình công vì chưa được trả lương tháng 4.") \
        == {"incident"}


def test_a_breakdown_is_of_the_kind_of_the_total_it_breaks_down() -> None:
    record = rules()(Article(doc_id="k2", text="Tin xâm hại trẻ em\n"
                             "Từ năm 2011 đến nay, cả nước phát hiện 8.000 vụ xâm hại trẻ em.\n"
                             "Trong đó, hơn 1.200 trẻ em bị xâm hại tình dục."))
    assert record.events and {e.kind for e in record.events} == {"aggregate"}


def test_offences_counted_side_by_side_are_each_of_the_kind_their_count_gives() -> None:
    record = rules()(Article(doc_id="k3", text="Bắt nhóm trộm cướp\nĐiều tra mở rộng, các đối tượng thừa nhận đã "
                             "thực hiện 2 vụ trộm cắp xe máy và 1 vụ cướp giật tài sản tại huyện Thạch Hà."))
    assert {e.type: e.kind for e in record.events} == {"theft": "aggregate", "robbery": "incident"}


def test_an_address_in_the_province_it_joined_dates_an_undated_article_after_the_merger() -> None:
    after = Article(doc_id="m1", text="Bắt đối tượng trộm cắp\n"
                                      "Công an xã Hàm Thắng, tỉnh Lâm Đồng bắt giữ một đối tượng trộm cắp xe máy.")
    assert rules()(after).provinces == ["Lâm Đồng"]


def test_a_district_and_the_new_province_named_apart_do_not_date_an_article() -> None:
    before = Article(doc_id="m2", text="Bắt đối tượng trộm cắp\n"
                                       "Công an huyện Quế Sơn bắt đối tượng trộm cắp xe máy, rồi chuyển hồ sơ "
                                       "cho Công an TP Đà Nẵng.")
    assert rules()(before).events[0].location.province == "Quảng Nam"


def test_the_address_a_commune_heads_tells_its_province() -> None:
    # the 2025 gazetteer knows only the Hữu Bằng of Hải Phòng; the Hà Nội one was merged away
    crime = Article(doc_id="a1", text="Bé trai bị sát hại\n"
                                      "Trưa 12/6, hàng trăm người dân xã Hữu Bằng, huyện Thạch Thất, Hà Nội kéo đến "
                                      "ngôi nhà bé trai bị sát hại.")
    place = rules()(crime).events[0].location
    assert (place.province, place.district, place.commune, place.text) == (
        "Hà Nội", "Thạch Thất", "Hữu Bằng", "xã Hữu Bằng, huyện Thạch Thất")
    # a route or a list of cities is no address
    route = Article(doc_id="a2", text="Tin giao thông\n"
                                      "Sáng 3/2, xe khách chạy tuyến Móng Cái – Hòa Bình gặp tai nạn giao thông, "
                                      "làm 2 người bị thương.")
    assert rules()(route).events[0].location.province == "Quảng Ninh"  # its ends, when nothing else says
    crash = Article(doc_id="a3", text="Tin giao thông\n"
                                      "Sáng 6/2, xe khách chạy tuyến Móng Cái (Quảng Ninh) - Hòa Bình gặp tai nạn giao "
                                      "thông khi qua dốc Cun thuộc TP Hòa Bình, làm 2 người bị thương.")
    assert rules()(crash).events[0].location.province == "Hòa Bình"


def test_offences_a_talk_is_about_are_its_topic_not_events() -> None:
    talk = Article(doc_id="o1", text="Bình Dương: Tuyên truyền pháp luật cho công nhân\n"
                                     "Công đoàn tổ chức 12 buổi tuyên truyền phòng chống ma túy, tín dụng đen cho "
                                     "hơn 2.000 công nhân.")
    assert rules()(talk).event_types == ["prevention_outreach"]
    arrest = Article(doc_id="o2", text="Nghệ An: Bắt đối tượng\nCông an huyện bắt quả tang đối tượng mua bán trái phép "
                                       "chất ma túy.")
    assert rules()(arrest).event_types == ["drugs"]
    scams = Article(doc_id="o3", text="Hưng Yên: Công an đến với công nhân\nNgày 21/8, tại KCN Phố Nối A, công an "
                                      "tỉnh đã phổ biến thủ đoạn lừa đảo qua mạng nhắm vào công nhân.")
    assert rules()(scams).event_types == ["prevention_outreach"]


def test_outreach_about_no_security_law_or_safety_is_no_event() -> None:
    congress = Article(doc_id="o4", text="Triển khai tuyên truyền Đại hội Công đoàn\nNgày 12/5, Liên đoàn Lao động "
                                         "tỉnh tổ chức buổi tuyên truyền về Đại hội Công đoàn tỉnh cho 200 đoàn viên.")
    assert rules()(congress).event_types == []
    # the subject may be named once for a talk told in two sentences
    story = Article(doc_id="o5", text="Công an đến với công nhân\nNgày 3/11, Công an phường phối hợp với Công đoàn tổ "
                                      "chức buổi tuyên truyền phòng, chống tội phạm tại KCN Đồng Văn II.\nTừ đầu năm "
                                      "đến nay, đã tổ chức 132 buổi tuyên truyền cho hơn 31.000 lượt công nhân.")
    assert rules()(story).event_types == ["prevention_outreach"]


def test_what_stops_operating_is_a_closure_only_when_it_is_an_employer() -> None:
    boat = Article(doc_id="c1", text="Tàu du lịch bị đình chỉ\nTàu du lịch QN-2040 đã ngừng hoạt động trên vịnh từ "
                                     "ngày 1/1.")
    assert rules()(boat).event_types == []
    factory = Article(doc_id="c2", text="Thái Bình: Công ty may ngừng hoạt động\nCông ty TNHH May Hoàng Long đã ngừng "
                                        "hoạt động từ ngày 10/10, toàn bộ 380 lao động bị mất việc làm.")
    assert rules()(factory).event_types == ["layoff_closure"]


def test_pains_and_vomiting_are_food_poisoning_only_after_a_meal_or_a_poisoning() -> None:
    fever = Article(doc_id="f1", text="Nắng nóng, người bệnh choáng váng\nNgày 5/6, bé N. ở Tiền Giang bị sốt cao, "
                                      "đau bụng, nôn ói nên mẹ đưa em vào bệnh viện.")
    assert rules()(fever).event_types == []
    meal = Article(doc_id="f2", text="Nghệ An: Công nhân nhập viện\nNgày 5/6, 40 công nhân Công ty TNHH Hitex phải "
                                     "nhập viện sau khi ăn trưa tại nhà ăn của công ty, bị đau bụng, nôn ói.")
    assert rules()(meal).event_types == ["food_poisoning"]


def test_a_campaign_is_a_crackdown_only_against_crime_or_offences() -> None:
    resort = Article(doc_id="k1", text="Vụ phá rừng ở Phú Yên\nTỉnh Phú Yên đã cho triệt phá, san ủi 116 ha rừng phòng "
                                       "hộ ven biển để làm khu du lịch.")
    assert rules()(resort).event_types == []
    raid = Article(doc_id="k2", text="Ra quân trấn áp tội phạm\nTừ ngày 15/5, Công an huyện Thủy Nguyên đã mở đợt cao "
                                     "điểm tấn công, trấn áp tội phạm tại các khu nhà trọ công nhân.")
    assert rules()(raid).event_types == ["crackdown_campaign"]


def test_links_to_other_stories_and_advice_state_no_event() -> None:
    # the site's links to other stories run to the end of the line
    assert types_of("Lễ hội hoa diễn ra tại Đà Lạt. >> Xem thêm: Tai nạn giao thông kinh hoàng trên quốc lộ 19\n"
                 "Du khách đổ về đông.") == []
    assert types_of("Trong trường hợp bị ngộ độc thực phẩm, cần đưa ngay người bệnh đến cơ sở y tế.") == []
    assert types_of("Công an tỉnh khuyến cáo người dân cảnh giác với các thủ đoạn lừa đảo trực tuyến.") == []
    # what it was first taken for is no event ("ai cũng nghĩ đây là một vụ tai nạn")
    from pipeline.extract.cues import labels_in_context
    doc = rules().document(Article(doc_id="n", text="Tin\nAi cũng nghĩ đây là một vụ tai nạn do điện giật, nhưng "
                                                    "Thà đã giết người rồi tạo hiện trường giả."))
    assert labels_in_context(doc.sentences[1], ["negation"]) == {"negation": {"traffic_accident"}}


def test_food_poisoning_is_told_by_food_and_symptoms_not_by_pesticide_or_lead() -> None:
    assert types_of("Hai công nhân bị ngộ độc thuốc sâu, được đưa đi cấp cứu.") == []
    assert types_of("Bé trai nhập viện vì ngộ độc chì do dùng thuốc cam.") == []
    assert types_of("Hơn 50 công nhân bị ngộ độc thực phẩm sau bữa ăn ca.") == ["food_poisoning"]
    # the story told by its symptoms after a meal, before anyone names the poisoning
    assert types_of("Trưa 21/7, sau khi ăn bữa trưa, hơn 300 công nhân có biểu hiện đau bụng, buồn nôn.") \
        == ["food_poisoning"]
    # a purpose is no event: "để phát hiện kịp thời hành vi tham nhũng"
    assert types_of("Cơ quan này sẽ rà soát hồ sơ để phát hiện kịp thời hành vi tham nhũng.") == []


def test_workers_gathering_at_the_gate_to_claim_wages_is_a_labour_protest() -> None:
    gate = Article(doc_id="l1", text="Bình Dương: Công nhân đòi lương\nChiều 3/3, gần 300 công nhân may tập trung "
                                     "tại cổng công ty yêu cầu trả hai tháng lương còn nợ.")
    assert "labor_protest" in rules()(gate).event_types


def test_an_accident_at_work_is_not_a_traffic_accident() -> None:
    # "xe tải lùi trúng công nhân đang làm việc": both cued, the more specific type takes the sentence
    assert typed_labels({"traffic_accident": 1.3, "workplace_accident": 1.1}, 1.0) == ["workplace_accident"]
    assert typed_labels({"traffic_accident": 1.3, "workplace_accident": 0.4}, 1.0) == ["traffic_accident"]
    assert cue_labels("Xe tải lùi trúng công nhân đang làm việc tại công trường.") >= {"workplace_accident"}
    # workers "đang làm việc tại KCN" are where they work, here the audience of a talk
    assert cue_labels("Sáng 12/5, LĐLĐ tỉnh tổ chức buổi tuyên truyền pháp luật cho khoảng 300 công nhân đang làm "
                      "việc tại KCN Đồng Văn II.") == {"prevention_outreach"}


def test_a_type_named_once_weakly_in_an_article_about_another_is_in_passing() -> None:
    from pipeline.document import Sentence
    from pipeline.extract.events import EventBuilder

    def sentence(i: int, **labels: float) -> Sentence:
        return Sentence(i, 0, 0, "", labels=labels)

    killing = [sentence(1, violent_crime=3.4), sentence(2, violent_crime=2.2)]
    drugs = [sentence(3, drugs=1.2)]
    events = EventBuilder(passing_below=2.0, dominant_from=3.0)
    groups = {("violent_crime", "incident"): killing, ("drugs", "incident"): drugs}
    assert events.in_passing(groups) == {"drugs"}
    assert events.in_passing({**groups, ("drugs", "incident"): [*drugs, sentence(4, drugs=1.1)]}) == set()
    assert events.in_passing({("drugs", "incident"): drugs, ("theft", "incident"): [sentence(5, theft=2.5)]}) == set()
    assert EventBuilder().in_passing(groups) == set()  # off unless configured


def test_a_type_that_several_sentences_tell_is_stated_though_none_is_sure() -> None:
    from pipeline.extract.events import EventBuilder

    doc = rules().document(Article(doc_id="s", text="Bé trai bị đâm chết\n" + " ".join([
        "Thấy đôi nam nữ cự cãi, nam thanh niên rút dao đâm loạn xạ.", "Bé trai đứng gần đó bị anh ta đâm tử vong.",
        "Nơi bé trai bị đâm.", "Công an đang truy bắt kẻ đâm người."])))
    for sentence, score in zip(doc.sentences, (0.5, 0.66, 0.81, 0.95, 0.7), strict=True):
        sentence.labels = {"violent_crime": score}
    assert EventBuilder(join_from=0.6, told_in=3).typed(doc) == [[]] + [["violent_crime"]] * 4
    assert EventBuilder(join_from=0.6, told_in=5).typed(doc) == [[]] * 5  # four body sentences are not five
    assert EventBuilder(join_from=0.6).typed(doc) == [[]] * 5  # off unless configured


def test_a_link_to_another_story_states_no_event() -> None:
    fire = Article(doc_id="a1", text="Cháy xưởng gỗ\nRạng sáng 3/4, vụ cháy xưởng gỗ ở huyện Nhà Bè thiêu rụi 2 xe. "
                                     "[Xe cấp cứu gây tai nạn rồi bỏ chạy tại Hà Nội]")
    record = rules()(fire)
    assert record.event_types == ["fire_explosion"] and record.provinces == ["Hồ Chí Minh"]


def test_a_stab_to_the_body_is_violence_not_a_collision() -> None:
    assert types_of("Tối 2/5, Nguyễn Văn A. dùng chai bia vỡ đâm vào ngực anh B. tại quán nhậu.") == ["violent_crime"]


def test_an_event_is_quoted_from_the_sentence_that_tells_it_not_from_its_reward() -> None:
    seizure = Article(doc_id="e1", text="Bắt đối tượng vận chuyển ma túy\n"
                                        "Ngày 12/7, Bộ Chỉ huy Bộ đội Biên phòng Quảng Trị thưởng nóng ban chuyên án "
                                        "bắt giữ đối tượng vận chuyển ma túy.\n"
                                        "Trước đó, chiều 11/7, tại cửa khẩu La Lay, Bộ đội Biên phòng bắt quả tang "
                                        "đối tượng vận chuyển ma túy tổng hợp.")
    drugs = [e for e in rules()(seizure).events if e.type == "drugs"]
    assert drugs and drugs[0].evidence.startswith("Trước đó, chiều 11/7")


def test_a_question_states_no_event() -> None:
    advice = Article(doc_id="q1", text="Hỏi đáp pháp luật\nXin hỏi người lao động được đình công khi nào?")
    assert not rules()(advice).relevant


def test_responders_sent_to_the_scene_are_not_counts_of_the_event() -> None:
    fire = Article(doc_id="f1", text="Cháy lớn tại xưởng gỗ\n"
                                     "Rạng sáng 3/4, vụ cháy xưởng gỗ ở huyện Nhà Bè làm 2 người tử vong, cảnh sát "
                                     "huy động 180 cán bộ, chiến sĩ đến hiện trường.")
    assert figures(fire) == [("deaths", 2)]
    # everything the call-out lists is sent, not the fire's toll; the size of the place is its setting
    listed = Article(doc_id="f2", text="Cháy lớn tại tổng kho\n"
                                       "Rạng sáng 23/6, vụ cháy tổng kho rộng khoảng 5.000 m2 ở quận 4 làm 1 người "
                                       "bị thương; cảnh sát đã huy động 180 cán bộ, chiến sĩ của 7 đơn vị cùng 200 "
                                       "người của công an quận... 29 xe chữa cháy, 10 máy bơm, 1 tàu chữa cháy, "
                                       "2 ca nô đến hiện trường.")
    assert figures(listed) == [("injuries", 1)]
    sent = Article(doc_id="f3", text="Cháy xưởng gỗ ở Bình Dương\n"
                                     "Rạng sáng 20/7, xưởng gỗ ở phường Tân Hiệp, TP Tân Uyên bốc cháy làm 1 người bị "
                                     "thương; Cảnh sát PCCC tỉnh đã điều 10 xe chữa cháy cùng 50 cán bộ, chiến sĩ đến "
                                     "hiện trường.")
    assert figures(sent) == [("injuries", 1)]


def test_a_change_against_a_baseline_counts_nothing() -> None:
    article = Article(doc_id="d1", text="Tai nạn giao thông ở quận 2\nNăm 2016 trên địa bàn quận 2 (TP.HCM) có 54 vụ "
                                        "tai nạn giao thông, tăng 8 vụ so với năm trước, gây chết 9 người.")
    assert figures(article) == [("incidents", 54), ("deaths", 9)]
    first = Article(doc_id="d2", text="Tai nạn giao thông 6 tháng\n6 tháng đầu năm, cả nước xảy ra 4.797 vụ tai nạn "
                                      "giao thông, làm chết 4.134 người. So với cùng kỳ năm 2016, tai nạn giao thông "
                                      "giảm 244 vụ (giảm 4,84%), giảm 229 người chết.")
    assert figures(first) == [("incidents", 4797), ("deaths", 4134)]


def test_a_total_told_with_the_event_counts_it() -> None:
    # "với tổng số" sums the event's own figure; the setting is told by "có": "KCN có ..."
    layoffs = Article(doc_id="l1", text="Doanh nghiệp cắt giảm lao động\n"
                                        "Năm 2023, toàn tỉnh có 86 doanh nghiệp trong các KCN phải cắt giảm lao động "
                                        "với tổng số hơn 21.000 người.")
    assert ("people", 21_000) in figures(layoffs)


def test_the_setting_a_sentence_opens_with_hien_co_is_no_count() -> None:
    strike = Article(doc_id="s1", text="Công nhân ngừng việc\n"
                                       "Sáng 12/3, khoảng 1.500 công nhân Công ty Hanshin ngừng việc tập thể. "
                                       "Bắc Ninh hiện có 16 khu công nghiệp với hơn 280.000 công nhân.")
    assert figures(strike) == [("people", 1500)]


def test_reward_and_relief_money_are_not_counts_of_the_event() -> None:
    arrest = Article(doc_id="r1", text="Bắt nhóm trộm cắp\nNgày 5/6, Công an huyện Nhà Bè bắt 3 đối tượng trộm cắp "
                                       "xe máy; Giám đốc Công an tỉnh thưởng nóng 10 triệu đồng cho ban chuyên án.")
    assert figures(arrest) == [("suspects", 3)]


def test_an_advice_column_reports_no_event() -> None:
    letter = Article(doc_id="q1", text="Khi nào người lao động được quyền đình công?\n"
                                       "Bạn đọc hỏi: Tôi là công nhân, công ty nợ lương 3 tháng, chúng tôi có được "
                                       "đình công không?\nTheo Điều 198 Bộ luật Lao động, đình công là sự ngừng việc "
                                       "tạm thời của người lao động.")
    assert not rules()(letter).relevant
    # a parent writing in about a child: "Con trai tôi 2 tuổi ... táo bón xen kẽ tiêu chảy"
    parent = Article(doc_id="q3", text="Rối loạn tiêu hóa có gây suy dinh dưỡng?\n"
                                       "Con trai tôi 2 tuổi, ở Bắc Ninh, hay bị đau bụng, táo bón xen kẽ tiêu chảy.")
    assert not rules()(parent).relevant
    news = Article(doc_id="q2", text="Vì sao 500 công nhân đình công?\n"
                                     "Sáng 8/5, 500 công nhân Công ty giày Phú Lợi (Bình Dương) đình công đòi lương.")
    assert rules()(news).relevant


def test_a_protest_in_a_foreign_city_is_not_relevant() -> None:
    abroad = Article(doc_id="h1", text="Biểu tình lớn phản đối hội nghị\n"
                                       "Khoảng 100.000 người biểu tình tại Hamburg, cảnh sát bắt giữ 200 người.")
    record = rules()(abroad)
    assert not record.relevant and record.events == []


def test_a_weaker_sentence_goes_on_telling_a_type_the_article_states() -> None:
    from pipeline.document import Document, Sentence
    from pipeline.extract.events import EventBuilder
    from pipeline.normalise import normalise

    def doc(*sentences: Sentence) -> Document:
        return Document(article=Article(doc_id="j", text=""), text=normalise(""), sentences=list(sentences))

    fire = [Sentence(0, 0, 0, "", labels={"fire_explosion": 1.8}),
            Sentence(1, 0, 0, "", labels={"fire_explosion": 0.7}),  # "khoảng 10 ha rừng đã bị cháy"
            Sentence(2, 0, 0, "", labels={"theft": 0.7})]
    assert EventBuilder(join_from=0.6).typed(doc(*fire)) == [["fire_explosion"], ["fire_explosion"], []]
    assert EventBuilder().typed(doc(*fire)) == [["fire_explosion"], [], []]  # off unless configured
    assert EventBuilder(join_from=0.6).typed(doc(*fire[1:])) == [[], []]  # nothing stated, nothing to join


def test_the_typer_sees_a_sentence_that_lists_many_offences() -> None:
    # "dễ bị các loại tội phạm như lừa đảo, cho vay lãi nặng, trộm cắp": a general situation
    from models.features import candidates

    listing = Article(doc_id="f1", text="Tình hình an ninh công nhân\nCông nhân rất dễ bị các loại tội phạm như "
                                        "lừa đảo chiếm đoạt tài sản, cho vay lãi nặng, trộm cắp tài sản lôi kéo.")
    story = Article(doc_id="f2", text="Bắt kẻ trộm\nĐêm 3/4, H. đột nhập nhà dân trộm cắp 2 xe máy.")
    extractor = Extractor.load("default")
    seen = {a.doc_id: {k for _, f in candidates(extractor.document(a)) for k in f if k.startswith("labels_here=")}
            for a in (listing, story)}
    assert seen == {"f1": {"labels_here=3"}, "f2": {"labels_here=1"}}


def test_the_typer_does_not_tell_dated_archives_from_undated_ones() -> None:
    # the labelled labour articles carry dates and the real ones none: a feature that saw the
    # date would learn the source, and `--published 2017` would change what is an event
    from models.features import candidates

    text = "Bắt kẻ trộm\nĐêm 3/4, H. đột nhập nhà dân trộm cắp 2 xe máy."
    extractor = Extractor.load("default")
    undated, dated = (candidates(extractor.document(Article(doc_id="d", text=text, published=p)))
                      for p in (None, "2017"))
    assert undated == dated


def cue_labels(sentence: str) -> set[str]:
    """The event types the lexicon's cues give a sentence, before any learned typer."""
    doc = rules().document(Article(doc_id="c", text="Tin địa phương\n" + sentence))
    return {c.label for s in doc.sentences for c in s.cues}


def test_the_press_words_for_a_den_its_players_and_its_drugs_are_cues() -> None:
    assert "gambling" in cue_labels("Công an huyện bắt quả tang 12 con bạc đang sát phạt tại nhà ông Q.")
    assert "gambling" in cue_labels("Tổ công tác triệt xóa một ổ bạc trong khu dân cư.")
    assert "gambling" in cue_labels("Hàng chục người tham gia chiếu bạc tại một nhà nghỉ.")
    assert "drugs" in cue_labels("Thu giữ 2 gói cocaine và 30 viên MDMA.")
    # a drug charge is no smuggling, and a driver tested for drugs is no drug case
    assert cue_labels("Khởi tố hai đối tượng về tội “Vận chuyển trái phép chất ma túy”.") == {"drugs"}
    assert cue_labels("CSGT kiểm tra nồng độ cồn, ma túy đối với hai tài xế.") == set()
    assert "fraud" in cue_labels("Nhiều người bị lừa gạt mua đất nền ảo.")
    assert "sexual_offence" in cue_labels("Gã đàn ông cưỡng hiếp bé gái 13 tuổi.")
    # labour news: a stoppage told by where the workers stayed, a halt that sends them home
    assert "strike" in cue_labels("Sáng 26-2, hơn 3.000 công nhân không vào xưởng làm việc, đòi tăng thưởng Tết.")
    assert "layoff_closure" in cue_labels("Công ty cho 500 công nhân nghỉ chờ việc do không có đơn hàng.")
    assert "layoff_closure" not in cue_labels("Chị xin nghỉ việc không lương để chăm con ốm.")


def test_names_that_only_look_like_events_are_no_cues() -> None:
    assert cue_labels("Công ty CP xe khách Phương Trang nợ 28 tỷ đồng bảo hiểm xã hội.") == set()
    assert cue_labels("Hãng xe khách Thành Bưởi tăng giá vé.") == set()
    assert cue_labels("Xạ thủ trẻ vừa được gọi vào đội tuyển bắn súng quốc gia.") == set()
    assert cue_labels("Anh giành HCV nội dung 10m súng ngắn hơi.") == set()
    assert cue_labels("Hàng trăm cán bộ công ty đồng loạt ra quân làm thủy lợi phục vụ vụ xuân.") == set()
    assert "traffic_accident" in cue_labels("Xe khách lật trên đèo, 3 người bị thương.")
    assert cue_labels("Học viện Báo chí và Tuyên truyền tổ chức lễ kỷ niệm 55 năm thành lập khoa.") == set()
    assert cue_labels("Khai mạc Liên hoan tuyên truyền lưu động mừng ngày Thương binh, liệt sĩ.") == set()
    assert cue_labels("Các báo phối hợp tuyên truyền, quảng bá hình ảnh của tỉnh.") == set()
    assert "prevention_outreach" in cue_labels("Công an huyện tổ chức buổi tuyên truyền cho 300 công nhân.")
    assert cue_labels("Công binh đã hủy nổ an toàn quả bom còn sót lại sau chiến tranh.") == set()
    assert cue_labels("Lý do Luật Biểu tình chưa trình ra Quốc hội.") == set()
    assert cue_labels("Hàng trăm người biểu tình trước trụ sở UBND xã.") == {"protest"}
    assert cue_labels("Phòng Cảnh sát Phòng cháy chữa cháy tỉnh Tây Ninh tìm kiếm người rơi xuống kênh.") == set()
    assert cue_labels("Người dân tranh cướp lộc tại lễ hội; lễ đâm trâu của đồng bào Xê Đăng.") == set()
    assert cue_labels("Lễ hội cướp phết Hiền Quan thu hút hàng nghìn người.") == set()
    # the offence "giết người trong trạng thái tinh thần bị kích động mạnh" incites nobody
    assert cue_labels("Bị cáo phạm tội giết người trong trạng thái tinh thần bị kích động mạnh.") == {"violent_crime"}
    assert cue_labels("CSGT chặn xe tải để kiểm tra tải trọng.") == set()
    assert cue_labels("Ngôi nhà bốc cháy dữ dội.") == {"fire_explosion"}
    assert cue_labels("Nhà máy sản xuất giấy cuộn các tông và thùng bao bì các tông.") == set()
    assert cue_labels("Dự án xây dựng bãi đỗ xe khách tham quan lăng Tự Đức.") == set()
    assert cue_labels("Khách mua vàng ngày Thần Tài bị chặt chém.") == set()  # overcharged, not cut
    assert cue_labels("Đề nghị thành phố tạm thời dừng việc tổ chức lễ hội.") == set()
    assert cue_labels("Bên cạnh xe máy có một vỏ hộp thuốc diệt cỏ mang tên cỏ cháy; lọ ngâm đốt ngón tay.") == set()
    assert cue_labels("Gần 2 nghìn lao động đã không vào vị trí làm việc mà tập trung tại sân công ty.") == {"strike"}
    assert "human_trafficking" in cue_labels("Triệt phá đường dây buôn bán phụ nữ qua biên giới.")
    assert "wage_arrears" in cue_labels("Năm 2025, trên địa bàn tỉnh xảy ra 9 vụ chủ doanh nghiệp nước ngoài bỏ trốn.")
    # a cue alone in quotes is a figure of speech, unless it names a charge or is the press's slang
    assert cue_labels("Cổ động viên ví von hàng công đội nhà đã “đình công” tập thể.") == set()
    assert cue_labels("Liệu Arsenal có dám \"đánh bạc\" với một Wenger thứ hai?") == set()
    assert cue_labels("Với tội \"Giết người\", Tú bị tuyên phạt án tù chung thân.") == {"violent_crime"}
    assert cue_labels("Bị phát hiện bắt trộm chó, nhóm “cẩu tặc” dùng chĩa điện hù dọa người dân.") == {"theft"}
    # a syllable of a street's or a place's name; an agency's name still cues, as a charge does
    assert cue_labels("Cửa hàng vàng trên phố Trần Nhân Tông vừa khai trương; chị dắt con ra bến đò Sơn Đốt.") == set()
    assert cue_labels("Đội Quản lý thị trường kiểm tra kho hàng.") == {"smuggling"}
    assert cue_labels("Bị cáo bị truy tố về tội Cướp tài sản.") == {"robbery"}
    assert "traffic_accident" in cue_labels("Hà Tĩnh: Lật thuyền trên sông, 2 người tử vong.")
    # lightning, a tyre, an engine and a toy are no assault, explosion or weapon
    assert cue_labels("Một phụ nữ bị sét đánh chết ngoài đồng.") == set()
    assert cue_labels("Xe khách bất ngờ nổ lốp rồi lao xuống ruộng; tài xế nổ máy bỏ đi.") == {"traffic_accident"}
    assert cue_labels("Nhóm thanh niên dùng súng giả, súng nhựa và súng đồ chơi.") == set()
    assert "fire_explosion" in cue_labels("Bình gas phát nổ khiến 2 người bị bỏng.")
    # an energetic girl, a singer who gives her all, a passenger catching a coach
    assert cue_labels("Cô rất năng nổ trong các phong trào; ca sĩ cháy hết mình trên sân khấu.") == set()
    assert cue_labels("Khi chị chuẩn bị đón xe khách vào miền nam thì bị nhóm thanh niên ép lên xe máy.") == set()
    assert cue_labels("Bé Subin thích ngồi xe khách về quê thăm ông bà.") == set()  # a vehicle is no accident


def test_labour_events_as_the_press_words_them() -> None:
    assert cue_labels("Một công nhân nhà máy giấy tử vong trong lúc làm việc.") == {"workplace_accident"}
    assert cue_labels("Tình trạng chậm đóng, nợ đọng BHXH còn lớn; doanh nghiệp chây ì đóng BHXH.") == {"wage_arrears"}
    assert cue_labels("Công ty cắt giảm nhân sự do thiếu đơn hàng.") == {"layoff_closure"}
    assert cue_labels("Công ty trừ tiền hằng tháng nhưng không đóng bảo hiểm cho người lao động.") == {"wage_arrears"}
    assert cue_labels("Anh T. trong lúc vận hành máy cán thép đã bị máy kẹp vào tay.") == {"workplace_accident"}
    assert cue_labels("Công ty đang tìm nguồn tiền để thanh toán khoảng 6 tỷ đồng tiền lương còn nợ.") == \
        {"wage_arrears"}
    assert cue_labels("Công ty chưa thanh toán tiền lương tháng 6, tháng 7 cho người lao động.") == {"wage_arrears"}
    # an accident on a building site is an accident at work, not on the road, however briefly a
    # later sentence names it
    assert cue_labels("Chiều 30/5, tại một công trường ở TP Móng Cái, máy vận thăng chở công nhân bất ngờ rơi "
                      "xuống đất.\nVụ tai nạn khiến 7 người bị thương.") == {"workplace_accident"}
    assert cue_labels("Sau vụ thang máy rơi, chủ đầu tư công trình xảy ra tai nạn bị triệu tập.") == \
        {"workplace_accident"}
    assert "strike" in cue_labels("Sáng 17/9, khoảng 800 công nhân đã đồng loạt nghỉ làm để đòi lương.")
    assert cue_labels("Hàng trăm công nhân bỏ về giữa ca vì bữa ăn kém chất lượng.") == {"strike"}
    # firing one teacher, or a plant halting for repairs, is no layoff: those words stay out
    assert cue_labels("Trường đã chấm dứt hợp đồng lao động với cô giáo; nhà máy ngừng sản xuất 4 ngày.") == set()


def test_a_cue_that_the_tokeniser_joins_to_the_next_word_still_types_the_sentence() -> None:
    from pipeline.extract.cues import whole_word_cues

    def typed(text: str) -> set[str]:
        doc = rules().document(Article(doc_id="w", text="Tin\n" + text))
        return {c.label for s in doc.sentences for c in whole_word_cues(s)}
    # underthesea makes one word of "súng ngắn", "đâm gục", "cẩu tặc": "súng", "đâm", "tặc" alone miss them
    assert "weapons_explosives" in typed("Tại hiện trường, cơ quan chức năng thu giữ 1 súng ngắn quân dụng K59.")
    assert "violent_crime" in typed("Anh Hải đang đi bộ thì bị một nam thanh niên chạy tới đâm gục.")
    assert "theft" in typed("Người dân vây bắt hai tên cẩu tặc trong đêm.")
    # nor does a name it joins to the verb after it ("Hanshin ngừng"); a lower-case word it holds
    # the cue inside ("gia đình công nhân") is no cue
    assert "strike" in typed("Sáng 12/3, khoảng 1.500 công nhân Công ty Hanshin ngừng việc tập thể.")
    assert "strike" not in typed("Công đoàn đến thăm hỏi, tặng quà các gia đình công nhân khó khăn.")
    # underthesea makes one word of "bảo hiểm xã hội": the cue names the whole of it
    assert "wage_arrears" in typed("Công ty đã trốn đóng bảo hiểm xã hội của 312 lao động.")
    # a figure inside a cue ("cắt giảm # lao động" in the lexicon)
    assert "layoff_closure" in typed("Công ty vừa thông báo cắt giảm khoảng 1.200 lao động do thiếu đơn hàng.")
    assert "layoff_closure" in typed("Nhà máy cho 300 công nhân nghỉ việc từ tháng 8.")
    assert "layoff_closure" not in typed("Công ty cắt giảm 20% chi phí vận hành.")


def test_an_investigation_or_a_lawyer_is_no_legal_provision() -> None:
    from pipeline.extract.cues import cue_context

    assert "law" not in cue_context("Cơ quan điều tra xác định đối tượng đã")  # "điều tra" = investigate
    assert "law" in cue_context("Theo Điều 198 Bộ luật Lao động,")
    assert "law" in cue_context("quy định tại điều 209, người lao động")
    assert "law" not in cue_context("Luật sư của bị cáo cho biết, hành vi")


def test_a_gun_seized_with_drugs_is_no_count_of_the_drugs() -> None:
    seizure = Article(doc_id="g1", text="Bắt đối tượng vận chuyển ma túy\nChiều 11/7, tại cửa khẩu La Lay (Quảng Trị), "
                                        "Bộ đội Biên phòng bắt quả tang đối tượng vận chuyển 40 ngàn viên ma túy "
                                        "tổng hợp, thu giữ 1 súng ngắn quân dụng.")
    drugs = [e for e in rules()(seizure).events if e.type == "drugs"]
    assert [c.text for e in drugs for c in e.counts] == ["40 ngàn viên ma túy tổng hợp"]


def test_two_offences_counted_side_by_side_are_two_events() -> None:
    # theft yields to robbery where both fit one event; counted apart, they are two
    both = Article(doc_id="c1", text="Bắt nhóm trộm cướp\nNgày 4/1, Công an huyện Thạch Hà (Hà Tĩnh) cho biết các "
                                     "đối tượng đã thực hiện 2 vụ trộm cắp xe máy và 1 vụ cướp giật tài sản.")
    counts = {(e.type, c.text) for e in rules()(both).events for c in e.counts}
    assert counts == {("theft", "2 vụ"), ("robbery", "1 vụ")}
    one = Article(doc_id="c2", text="Hà Tĩnh: Cướp giật\n"
                                    "Ngày 4/1, hai đối tượng trộm cắp, cướp giật túi xách của chị H.")
    assert rules()(one).event_types == ["robbery"]


def test_a_fight_that_kills_is_a_violent_crime() -> None:
    def cued(text: str) -> list[str]:
        doc = rules().document(Article(doc_id="h", text="Tin\n" + text))
        return [c.label for s in doc.sentences for c in s.cues]
    assert cued("Nhóm thanh niên dùng vật cứng ẩu đả với anh Thạnh khiến nạn nhân tử vong.") == ["violent_crime"]
    assert cued("Hai nhóm thanh niên đánh nhau trước quán karaoke.") == ["public_disorder"]
    # one that wounds is still a brawl, charged as "gây rối trật tự công cộng"
    assert cued("Hàng chục thanh niên của hai nhóm mang hung khí kéo đến cánh đồng hỗn chiến, khiến 2 người bị "
                "thương phải nhập viện.") == ["public_disorder"]
    # a death told before the fight is not its outcome
    assert cued("Sau khi anh Tú chết đuối, hai nhóm thanh niên đánh nhau ở chợ.") == ["public_disorder"]
    # the story's death may be told after the fight, in a sentence of its own
    assert cued("Đêm 21/7, hai nhóm thanh niên lao vào hỗn chiến. Hậu quả, 1 thanh niên 19 tuổi tử vong.") \
        == ["violent_crime"]


def test_a_vehicle_that_strikes_is_a_collision_a_knife_that_strikes_is_not() -> None:
    def cued(text: str) -> list[str]:
        doc = rules().document(Article(doc_id="v", text="Tin\n" + text))
        return [c.label for s in doc.sentences for c in s.cues if c.phrase.startswith("đâm")]
    assert cued("Tài xế xe Camry đâm chết ba học sinh.") == ["traffic_accident"]
    assert cued("Xe tải đi ngược chiều đâm vào mạn sườn xe khách.") == ["traffic_accident"]
    assert cued("Xe container mất lái, lao sang phần đường đối diện rồi đâm thẳng vào chiếc xe tải.") \
        == ["traffic_accident"]
    assert cued("Hắn lên xe rồi cầm dao đâm liên tiếp vào người anh H.") == ["violent_crime"]
    assert cued("Đối tượng dùng dao đâm chết anh T.") == ["violent_crime"]
    assert cued("Nạn nhân tử vong bên xe máy, nhiều khả năng bị vật sắc nhọn đâm trúng ngực.") == ["violent_crime"]


def test_a_collision_verb_states_an_accident_on_its_own() -> None:
    doc = rules().document(Article(doc_id="t", text="Tin\nChiếc xe cảnh sát tông thẳng vào hông chiếc Fortuner."))
    assert doc.sentences[1].labels.get("traffic_accident", 0) >= 1.0  # "tông" alone is only suggestive


def test_a_car_that_hits_three_others_in_a_row_is_one_accident() -> None:
    def kinds(text: str) -> list[str]:
        return [e.kind for e in rules()(Article(doc_id="k", text="Tai nạn ở TP.HCM\n" + text)).events]
    assert kinds("Trong hầm Thủ Thiêm, ô tô mất lái gây tai nạn, đâm liên tiếp vào 3 ô tô khác.") == ["incident"]
    assert kinds("Tại Nam Định liên tiếp xảy ra 2 vụ tai nạn đường sắt.") == ["aggregate"]


def test_a_past_conviction_a_risk_or_a_denial_is_no_event() -> None:
    past = Article(doc_id="r1", text="Đòi nợ thuê, chém 5 người\nThông và Tài đều có tiền án, tiền sự từ năm 2013 "
                                     "về tội cưỡng đoạt tài sản, cả hai mới ra tù.")
    assert "extortion" not in rules()(past).event_types
    now = Article(doc_id="r2", text="Bắt đối tượng\nNgày 3/5, Công an quận 1 bắt Nguyễn Văn T. về hành vi cưỡng đoạt "
                                    "tài sản của chủ quán.")
    assert rules()(now).event_types == ["extortion"]
    risk = Article(doc_id="r3", text="Cảnh giác\nCông nhân mới đến thành phố rất dễ bị lừa đảo qua mạng.")
    denial = Article(doc_id="r4", text="Tòa trả hồ sơ\nTòa cho rằng hành vi của bị cáo không phải là lừa đảo.")
    assert rules()(risk).event_types == [] and rules()(denial).event_types == []
    listed = Article(doc_id="r5", text="Tình hình\nCông nhân rất dễ bị các loại tội phạm như lừa đảo công nghệ cao, "
                                       "cho vay lãi nặng, trộm cắp tài sản lôi kéo.")
    assert rules()(listed).event_types == []  # the risk runs down the list


def told(label: str, published: str, *lines: str) -> tuple[Article, list[Event]]:
    """An article of these lines (the first is its title), and the events of one type the rules give it."""
    article = Article(doc_id="t-" + label, published=published, text="\n".join(lines))
    return article, [e for e in rules()(article).events if e.type == label]


def counted(events: list[Event]) -> list[list[tuple[str, float]]]:
    """Each event's counts as (unit, value), in order."""
    return [[(c.unit, c.value) for c in e.counts] for e in events]


def test_an_event_without_a_time_of_its_own_takes_the_day_the_story_set_before() -> None:
    article, found = told("workplace_accident", "2024-05-22",
        "Sập giàn giáo tại công trình",
        "Khoảng 9h ngày 21/5, tại công trình nhà xưởng ở KCN Hiệp Phước, huyện Nhà Bè, TP.HCM, giàn giáo bất ngờ đổ "
        "sập khiến 4 công nhân rơi xuống đất.",
        "Vụ tai nạn lao động làm 2 người tử vong tại chỗ.",
    )
    event = found[0]
    assert (event.time.text, event.time.start) == ("Khoảng 9h ngày 21/5", "2024-05-21")
    assert article.text[event.time.begin:event.time.stop] == "Khoảng 9h ngày 21/5"


def test_the_same_day_is_the_day_told_before() -> None:
    _, found = told("fire_explosion", "2024-05-22",
        "Cháy xưởng gỗ",
        "Sáng 20/5, Công an huyện Nhà Bè (TP.HCM) nhận tin báo.",
        "Khoảng 14 giờ cùng ngày, một vụ cháy lớn xảy ra tại xưởng gỗ ở xã Hiệp Phước.",
    )
    fire = found[0]
    assert (fire.time.text, fire.time.start) == ("Khoảng 14 giờ cùng ngày", "2024-05-20")


def test_a_title_that_restates_the_bodys_statistic_is_no_event_of_its_own() -> None:
    _, events = told("wage_arrears", "2024-07-05",
        "Khởi kiện 12 doanh nghiệp nợ bảo hiểm xã hội",
        "Sáu tháng đầu năm 2024, Liên đoàn Lao động tỉnh Hưng Yên đã khởi kiện 12 doanh nghiệp nợ đóng bảo hiểm xã "
        "hội ra tòa án với tổng số tiền trên 15 tỷ đồng.",
    )
    assert [(e.kind, e.sentence, e.time.start, e.time.end) for e in events] == [("aggregate", 1, "2024-01", "2024-06")]


def test_a_fire_and_its_damage_told_after_it_are_one_event_with_both_figures() -> None:
    article, fires = told("fire_explosion", "2020-10-15",
        "Cháy xưởng gỗ ở Biên Hòa",
        "Khoảng 2h sáng 14/10, một vụ cháy lớn bùng phát tại xưởng gỗ ở xã Tam Phước, TP Biên Hòa, tỉnh Đồng Nai.",
        "Vụ cháy thiêu rụi khoảng 800 m2 nhà xưởng, ước thiệt hại hơn 3 tỷ đồng.",
    )
    assert len(fires) == 1
    assert {(c.unit, c.value) for c in fires[0].counts} >= {("money_vnd", 3_000_000_000)}
    assert fires[0].time.start == "2020-10-14"
    money = next(c for c in fires[0].counts if c.unit == "money_vnd")
    assert article.text[money.start:money.end] == money.text  # traceable to the sentence that gives it


def test_occurrences_on_other_days_in_other_communes_are_events_of_their_own() -> None:
    _, thefts = told("theft", "2024-05-22",
        "Liên tiếp xảy ra trộm cắp tại huyện Yên Phong",
        "Đêm 10/5, kẻ gian đột nhập nhà dân ở xã Đông Phong (huyện Yên Phong, Bắc Ninh) trộm cắp 20 triệu đồng.",
        "Đêm 15/5, một vụ trộm cắp khác xảy ra tại xã Yên Trung, kẻ gian lấy đi 2 xe máy.",
    )
    assert [e.time.start for e in thefts] == ["2024-05-10", "2024-05-15"]


def test_the_day_a_report_was_given_does_not_split_the_occurrence_it_reports() -> None:
    _, thefts = told("theft", "2024-06-04",
        "Bắt hai đối tượng trộm cắp",
        "Ngày 3/6, Công an huyện Yên Phong (Bắc Ninh) cho biết vừa bắt giữ hai đối tượng trộm cắp tài sản.",
        "Trước đó, đêm 1/6, hai đối tượng đột nhập nhà dân ở xã Đông Phong trộm cắp 20 triệu đồng.",
    )
    assert len(thefts) == 1


def test_an_arrest_years_after_the_offence_is_an_event_of_its_own() -> None:
    # the report's day does not split a story, but its year does: a fraud of 1988, an arrest in 2017
    _, frauds = told("fraud", "2017-07-12",
        "Bắt đối tượng lừa đảo sau 29 năm lẩn trốn",
        "Ngày 10/7/2017, Công an tỉnh Ninh Bình cho biết đã bắt giữ Trần Thị X. về tội lừa đảo chiếm đoạt tài sản.",
        "Theo hồ sơ, vào ngày 6/9/1988, X. lừa đảo chiếm đoạt 2 triệu đồng của anh Nguyễn Văn N.",
    )
    assert sorted(e.sentence for e in frauds) == [1, 2]


def test_two_sums_owed_by_one_company_are_two_debts() -> None:
    _, debts = told("wage_arrears", "2023-11-07",
        "Công ty nợ lương hàng trăm công nhân",
        "Đến nay, Công ty TNHH May Hưng Phát ở huyện Cẩm Giàng (Hải Dương) đang nợ lương 3 tháng của 627 người lao "
        "động với tổng số tiền khoảng 5,2 tỷ đồng.",
        "Không chỉ nợ lương, công ty còn nợ đóng bảo hiểm xã hội từ tháng 9/2022 đến nay với số tiền hơn 2,1 tỷ đồng.",
    )
    assert sorted(c.value for e in debts for c in e.counts if c.unit == "money_vnd") == [2_100_000_000, 5_200_000_000]
    assert len(debts) == 2


def test_a_case_the_sentence_calls_another_is_an_event_of_its_own_on_the_same_day() -> None:
    _, poisonings = told("food_poisoning", "2017-06-04",
        "Lâm Đồng: 41 du khách nhập viện",
        "Sáng 3/6, Bệnh viện Đa khoa Lâm Đồng tiếp nhận 28 du khách nhập viện nghi do ngộ độc thực phẩm.",
        "Cũng trong ngày 3/6, tại Lâm Đồng cũng xảy ra một vụ ngộ độc thực phẩm khác khiến 13 du khách nhập viện.",
    )
    assert [[c.value for c in e.counts if c.unit == "people"] for e in poisonings] == [[28], [13]]


def test_a_mass_termination_of_contracts_is_a_layoff_and_a_debt_of_insurance_money_is_arrears() -> None:
    _, layoffs = told("layoff_closure", "2023-02-20",
        "Công ty thông báo cho công nhân nghỉ",
        "Công ty TNHH Túi xách Simone (huyện Trảng Bom, Đồng Nai) vừa thông báo chấm dứt hợp đồng lao động với "
        "1.200 công nhân từ ngày 1/3 do thiếu đơn hàng.",
    )
    assert counted(layoffs) == [[("people", 1200)]]
    _, debts = told("wage_arrears", "2024-08-14",
        "Doanh nghiệp ở Bắc Ninh chây ì",
        "Ngoài ra, công ty còn nợ tiền bảo hiểm xã hội hơn 1,6 tỷ đồng.",
    )
    assert [[c.value for c in e.counts] for e in debts] == [[1_600_000_000]]


def test_a_phone_snatched_from_a_passer_by_is_a_robbery() -> None:
    _, robberies = told("robbery", "2024-12-04",
        "Du khách bị mất điện thoại",
        "Khoảng 22h ngày 3/12, chị Anna (quốc tịch Nga) đang đi bộ trên đường Trần Phú, TP Nha Trang (Khánh Hòa) thì "
        "bị hai thanh niên đi xe máy áp sát giật chiếc điện thoại trị giá khoảng 25 triệu đồng rồi tẩu thoát.",
    )
    assert [(e.location.province, e.time.start) for e in robberies] == [("Khánh Hòa", "2024-12-03")]


def test_a_statistic_of_the_whole_country_belongs_to_no_province_it_lists() -> None:
    _, strikes = told("strike", "2025-03-05",
        "Năm 2024, cả nước có 95 cuộc ngừng việc tập thể",
        "Theo Tổng Liên đoàn Lao động Việt Nam, năm 2024 cả nước xảy ra 95 cuộc ngừng việc tập thể.",
        "Phần lớn các cuộc ngừng việc diễn ra tại các tỉnh phía Nam như Bình Dương, Đồng Nai.",
    )
    assert [(e.kind, e.location.province) for e in strikes] == [("aggregate", None)]


def test_a_killing_charged_beside_a_robbery_is_an_event_of_its_own() -> None:
    article = Article(doc_id="t-charges", published="2023-08-26", text="\n".join([
        "Tuyên án kẻ cướp taxi",
        "Ngày 25/8, TAND tỉnh Bắc Giang tuyên phạt Nguyễn Văn Thắng mức án tù chung thân về các tội Giết người và "
        "Cướp tài sản.",
    ]))
    assert {e.type for e in rules()(article).events} >= {"violent_crime", "robbery"}


def test_drugs_carried_across_the_border_are_drugs_not_smuggling() -> None:
    assert types_of("Ngày 22/6, Biên phòng bắt 2 đối tượng buôn lậu 40 bánh heroin và 120.000 viên ma túy "
                    "tổng hợp qua biên giới.") == ["drugs"]


def test_cigarettes_smuggled_in_from_abroad_are_smuggling() -> None:
    _, found = told("smuggling", "2023-10-15",
        "Thu giữ thuốc lá",
        "Ngày 14/10, Công an tỉnh Long An phát hiện xe ô tô do Trần Văn Tùng điều khiển chở 5.000 bao thuốc lá "
        "ngoại nhập lậu.",
    )
    assert counted(found) == [[("other", 5000)]]


def test_money_listed_among_the_seized_goods_counts_the_event() -> None:
    _, found = told("gambling", "2023-05-21",
        "Triệt phá sới bạc",
        "Khoảng 15h ngày 20/5, Công an huyện Thạch Thất (Hà Nội) bắt quả tang 12 đối tượng đang đánh bạc, tang "
        "vật thu giữ gồm hơn 45 triệu đồng và 10 điện thoại di động.",
    )
    assert ("money_vnd", 45_000_000) in {(c.unit, c.value) for e in found for c in e.counts}


def test_the_law_quoted_in_general_terms_states_no_event_and_counts_nothing() -> None:
    _, found = told("public_disorder", "2017-02-06",
        "Ẩu đả trong vũ trường",
        "Sáng 5/2, Công an TP Đà Lạt bắt hai đối tượng gây rối trật tự công cộng tại vũ trường Rain.",
        "Người nào gây rối trật tự công cộng gây hậu quả nghiêm trọng thì bị phạt tiền từ một triệu đồng đến mười "
        "triệu đồng hoặc phạt tù từ ba tháng đến hai năm.",
    )
    assert [e.evidence[:9] for e in found] == ["Sáng 5/2,"]
    assert counted(found) == [[("suspects", 2)]]
    # the benefits the insurance law lists are no accident; a worker denied them is owed them
    assert types_of("Đối với chế độ tử tuất: trợ cấp một lần khi chết do tai nạn lao động.") == []
    assert types_of("Quỹ tai nạn lao động - bệnh nghề nghiệp dự báo có kết dư ngày càng tăng.") == []
    assert types_of("Công ty nợ đóng BHXH khiến người lao động không được hưởng chế độ thai sản.") == ["wage_arrears"]
    # nor is the threshold above which an employer's debt becomes a crime
    assert types_of("Người sử dụng lao động trốn đóng BHXH từ 50 triệu đồng trở lên, đã bị xử phạt hành chính mà "
                    "còn vi phạm, có thể bị truy cứu trách nhiệm hình sự.") == []


def test_where_a_haul_was_carried_from_and_to_neither_splits_the_occurrence_nor_takes_it_abroad() -> None:
    _, found = told("drugs", "2017-06-03",
        "Bắt đối tượng vận chuyển heroin",
        "Khoảng 21h ngày 31/5, tại phường Hải Hòa (Móng Cái, Quảng Ninh), Đồn Biên phòng bắt giữ Hoàng Văn Minh khi "
        "đang vận chuyển 9 bánh heroin.",
        "Minh khai nhận vận chuyển thuê 9 bánh heroin từ Mai Châu (Hòa Bình) sang Trung Quốc.",
    )
    assert [(e.location.province, e.location.foreign) for e in found] == [("Quảng Ninh", False)]
    # a journey that runs abroad at both ends stays abroad
    sea = Article(doc_id="sea", text="Tai nạn trên biển\nNgày 31/3, hơn 20 lao động quê Bắc Giang lên một con tàu từ "
                                     "Trung Quốc vượt biển sang Đài Loan làm việc thì bị đắm tàu, 5 người tử vong.")
    assert rules()(sea).relevant is False


def test_where_the_offender_fled_does_not_split_the_occurrence() -> None:
    _, found = told("violent_crime", "2017-06-01",
        "Cụ ông đâm chết người vì tranh chấp đất",
        "Tối 31-5, Công an tỉnh Bình Dương đã di lý Nguyễn Văn Để, nghi can trong vụ án giết người tại xã "
        "Phú An, thị xã Bến Cát, tỉnh Bình Dương.",
        "Bực tức, ông Để dùng dao đâm chết anh Kiệt tại chỗ rồi lên xe bỏ về "
        "TP HCM.",
    )
    assert [e.location.province for e in found] == ["Bình Dương"]


def test_where_a_suspect_or_victim_lives_does_not_split_the_occurrence() -> None:
    _, accidents = told("traffic_accident", "2017-02-06",
        "Ô tô mất lái đâm liên tiếp 3 xe máy",
        "Khoảng 20 giờ ngày 5/2, ông Nguyễn Văn Dũng (ngụ P.An Hải Tây, Q.Sơn Trà) điều khiển ô tô gây tai nạn "
        "giao thông trên đường Trần Hưng Đạo.",
        "Đến khu vực phường Nại Hiên Đông (quận Sơn Trà, Đà Nẵng), ô tô mất lái tông vào 3 chiếc xe máy.",
        "Vụ tai nạn giao thông khiến 4 người bị thương, gồm anh Nguyễn Văn Đường (trú huyện Hòa Vang) và chị "
        "Dư Thị Thảo.",
    )
    assert len(accidents) == 1


def test_an_accident_that_just_happened_in_the_district_is_one_incident() -> None:
    assert kinds("Công an huyện Mường Ảng, tỉnh Điện Biên đang điều tra nguyên nhân vụ tai nạn giao thông vừa xảy ra "
                 "trên địa bàn khiến một người chết và hai người bị thương.") == {"incident"}
    assert kinds("Trong tháng 5, trên địa bàn huyện đã xảy ra 12 vụ tai nạn giao thông làm 5 người chết.") == \
        {"aggregate"}


def test_taking_money_by_force_is_robbery_and_taking_a_life_is_a_figure_of_speech() -> None:
    _, robberies = told("robbery", "2017-06-10",
        "Dùng dao khống chế nạn nhân",
        "Chiều 7/6, tại nghĩa trang Bình Hưng Hòa (quận Bình Tân, TP.HCM), Long rút dao khống chế anh Nam rồi cướp "
        "đi 200 ngàn đồng và chiếc xe máy.",
    )
    assert counted(robberies) == [[("money_vnd", 200_000)]]
    _, none = told("robbery", "2017-06-10", "Tai nạn thảm khốc",
                   "Vụ tai nạn đã cướp đi sinh mạng của 3 người trong một gia đình.")
    assert none == []
    assert "robbery" not in cue_labels("Vụ nổ bom ở Văn Phú, Hà Đông cướp đi 5 sinh mạng.")


def test_cues_read_as_people_mean_them() -> None:
    assert "crackdown_campaign" not in cue_labels(
        "Sáng 6/2, tại cảng cá Tam Giang (Quảng Nam) diễn ra lễ ra quân đánh bắt hải sản của hàng trăm ngư dân.")
    assert "crackdown_campaign" in cue_labels("Sáng 6/2, Công an tỉnh ra quân trấn áp tội phạm dịp Tết.")
    # a boat that capsizes is a waterway accident, however the sentence words it
    assert "traffic_accident" in cue_labels("Chiều 4/8, một chiếc thuyền chở 5 người bị lật trên sông Lam.")
    # gas at a factory poisons workers at work, not by their food
    assert cue_labels("Hàng chục công nhân bị ngộ độc khí do bồn chứa rò rỉ hóa chất.") == {"workplace_accident"}
    assert cue_labels("Sáng 9/5, hàng chục công nhân bị ngộ độc khí tại nhà máy.") == {"workplace_accident"}
    assert cue_labels("Sáng 24/9, hàng trăm người dân đã tụ tập phản đối dự án bãi rác.") == {"protest"}
    assert cue_labels("Sáng 21/5, người dân xã Tân Phước tụ tập trước trụ sở UBND xã để phản đối việc bồi thường.") \
        == {"protest"}
    assert cue_labels("Bộ Nội vụ xác định có 58 trường hợp được bổ nhiệm sai tại 9 địa phương.") == {"corruption"}
    assert cue_labels("Sáng 14/1, xe container bất ngờ lật nghiêng trên quốc lộ 5.") == {"traffic_accident"}
    assert cue_labels("Tối 11/8, B. dùng dao khống chế con gái 5 tuổi làm con tin.") == {"violent_crime"}
    assert cue_labels("Ở phía Bắc sân bay còn 11 đơn vị pháo của quân đội đang đóng quân.") == set()
    # a ship that rams a fishing boat collides, as a truck does
    assert cue_labels("Tàu cá TG 94169 TS bị tàu SPARLYA số tàu 257316000 đâm dẫn đến chìm.") == {"traffic_accident"}
    # the pay and time of a halt the employer ordered are no stoppage by the workers
    assert cue_labels("Đề nghị doanh nghiệp bảo đảm quyền lợi cho người lao động trong thời gian ngừng việc.") == set()
    assert cue_labels("Người lao động được trả lương ngừng việc theo quy định.") == set()
    # a simile steals nothing, a power plant firing oil burns nothing, a festival's pig is no victim
    assert cue_labels("Theo phong tục cướp vợ của người Mông, chàng trai phải chọn ngày lành.") == set()
    assert cue_labels("Dưới cái nắng như thiêu như đốt, Kiếm phải đốt cháy giai đoạn để luyện tập.") == set()
    assert cue_labels("Họ chấp nhận cả việc đi lại lén lút như một kẻ trộm.") == set()
    assert cue_labels("Tổ máy 2 dự án Nhiệt điện Vĩnh Tân 4 đã tiến hành đốt dầu lần đầu.") == set()
    assert cue_labels("Hay như lễ hội chém lợn tại Ném Thượng, Bắc Ninh, nay đã được thực hiện kín.") == set()
    # concrete ("bê tông") strikes nothing; a census or an irrigation drive that "ra quân" is no crackdown
    assert cue_labels("Hộ ông Lê Hùng xây 3 nhà trệt, 1 chòi mái bê tông trái phép.") == set()
    assert cue_labels("Sáng 30/6, Tổng cục Thống kê tổ chức Lễ ra quân Tổng điều tra kinh tế năm 2017.") == set()
    assert "crackdown_campaign" in cue_labels("Sáng 6/2, Công an tỉnh tổ chức lễ ra quân cao điểm trấn áp tội phạm.")
    # what is not counted as a drug is none
    assert cue_labels("Tại Việt Nam, mặt hàng shisa chưa được coi là một dạng ma túy.") == {"drugs"}
    assert types_of("Tại Việt Nam, mặt hàng shisa chưa được coi là một dạng ma túy.") == []
    # nor is what the sentence says no longer happens, when it says so to end the clause
    assert types_of("Lực lượng an ninh được tăng cường, nạn trộm cắp đã không còn xảy ra.") == []
    assert types_of("Rất may, vụ cháy không xảy ra thiệt hại về người.") == ["fire_explosion"]
    # a near miss, a drill and a scenario did not happen either
    assert types_of("Nhiều người dân cố tình vượt qua, suýt tông thẳng vào ông Tây.") == []
    assert cue_labels("Phải quy rõ trách nhiệm để xử lý nghiêm, không ngại va chạm.") == set()  # people, not cars
    assert types_of("Sáng 5/3, Công an tỉnh diễn tập phương án chữa cháy, giả định xảy ra cháy lớn tại chợ.") == []
    # stabbing oneself is no collision and no assault; a mother off to buy petrol burns nobody;
    # children playing with toy guns shoot nobody
    assert cue_labels("Trẻ em chơi súng bắn đạn nhựa, bắn trận giả với những khẩu súng nhựa.") == set()
    assert cue_labels("Nam thanh niên ngáo đá, cầm dao tự đâm vào người mình.") == set()
    assert cue_labels("Người mẹ nói đi đổ xăng rồi biệt tăm, bỏ lại 2 con nhỏ trên vỉa hè.") == set()
    # crossing the border oneself is no trafficking in people
    assert cue_labels("Bùi Thị Lịch nhập cảnh trái phép từ Trung Quốc, mang theo 1,17 kg ma túy.") == {"drugs"}


def test_an_incident_told_without_any_place_in_vietnam_is_not_relevant() -> None:
    abroad = Article(doc_id="r1", text="Ngôi sao bóng đá bị tống tiền\n"
                     "Cựu ngôi sao David Beckham bị tin tặc tống tiền 1,2 triệu USD sau khi bị hack thư điện tử.")
    assert not rules()(abroad).relevant
    home = Article(doc_id="r2", text="Bị tống tiền sau khi bị hack thư điện tử\n"
                   "Anh Nguyễn Văn A (trú quận 3, TP.HCM) bị tin tặc tống tiền 200 triệu đồng sau khi bị hack.")
    assert rules()(home).relevant
    # Vietnam's own institutions tell of Vietnam where no place is named
    zone = Article(doc_id="r3", text="Đảm bảo an ninh trật tự tại các KCX – KCN\n"
                   "Trong tháng 5, một số đối tượng quá khích đã tràn vào KCX-KCN thành phố kích động công nhân "
                   "biểu tình, gây mất trật tự.")
    assert rules()(zone).relevant


def test_a_drug_squad_seizing_oil_tells_smuggling_not_drugs() -> None:
    article = Article(doc_id="o1", text="Bắt giữ tàu chở dầu trên vùng biển Hải Phòng\n"
                      "Ngày 10/6, tại vùng biển Cát Bà (Hải Phòng), Đoàn đặc nhiệm phòng chống ma túy và tội phạm "
                      "phát hiện tàu vận chuyển khoảng 40.000 lít dầu bất hợp pháp.")
    assert rules()(article).event_types == ["smuggling"]


def test_a_kidnapping_for_ransom_is_extortion_where_the_police_arrested_not_where_the_suspect_lives() -> None:
    article = Article(doc_id="k1", text="Bắt cóc con của người tình đòi chuộc 100 triệu đồng\n"
                      "Ngày 26/6, Công an TP Ninh Bình vừa bắt khẩn cấp Đặng Minh Tiến (23 tuổi, ở xã Vân Du, huyện "
                      "Ân Thi, tỉnh Hưng Yên) về hành vi bắt cóc trẻ em nhằm chiếm đoạt tài sản.")
    record = rules()(article)
    assert (record.event_types, record.provinces) == (["extortion"], ["Ninh Bình"])


def test_police_team_names_and_carton_boxes_state_no_event() -> None:
    article = Article(doc_id="w1", text="Bắt ghe chở gỗ lậu\n"
                      "Đêm 17/6, Đội CSĐT tội phạm về kinh tế - ma túy Công an huyện Đại Lộc (Quảng Nam) phát hiện "
                      "ghe chở 3 thùng các - tông và nhiều gỗ lậu trên sông Vu Gia.")
    assert rules()(article).event_types == ["smuggling"]


def test_a_debt_no_single_employer_owes_is_a_statistic() -> None:
    assert kinds("Lớn nhất là nợ đóng bảo hiểm xã hội với khoảng 7.061 tỷ đồng.") == {"aggregate"}
    assert kinds("Ngoài ra, công ty còn nợ đóng bảo hiểm xã hội với số tiền hơn 1,1 tỷ đồng.") == {"incident"}


def test_people_testing_positive_in_one_raid_are_people_not_cases() -> None:
    article = Article(doc_id="d1", text="Bắc Ninh: Kiểm tra quán karaoke\n"
                      "Rạng sáng 12/3, Công an huyện Thuận Thành kiểm tra quán karaoke Kingdom, phát hiện 15 người "
                      "đang sử dụng ma túy; test nhanh có 5 trường hợp dương tính với chất ma túy.")
    drugs = [e for e in rules()(article).events if e.type == "drugs"]
    assert [(e.kind, [(c.unit, c.value) for c in e.counts]) for e in drugs] == \
        [("incident", [("people", 15), ("people", 5)])]


def test_a_case_in_another_province_is_another_occurrence_but_a_travellers_home_is_not() -> None:
    _, fires = told("fire_explosion", "2017-02-09",
        "Liên tiếp cháy xe khách",
        "Sáng 8/2, một xe khách giường nằm bốc cháy trên đường Hồ Chí Minh đoạn qua xã Phước Mỹ, huyện Phước Sơn "
        "(Quảng Nam).",
        "Trưa 8/2, Công an tỉnh Tiền Giang cũng đã khám nghiệm hiện trường vụ cháy xe khách 16 chỗ trên cao tốc.",
    )
    assert sorted(e.location.province for e in fires) == ["Quảng Nam", "Tiền Giang"]
    _, crashes = told("traffic_accident", "2017-02-11",
        "Xe phân khối lớn tông trúng cụ ông",
        "Điều khiển xe phân khối lớn trên quốc lộ 1A, phượt thủ ở Hà Nội tông trúng cụ ông 69 tuổi.",
        "Khoảng 17h30 ngày 10/2, khi đến đoạn qua xã Phù Việt (huyện Thạch Hà, Hà Tĩnh), xe tông trúng ông Ngọc.",
    )
    assert len(crashes) == 1


def test_a_bare_poisoning_reads_as_what_the_article_says_poisoned() -> None:
    pesticide = "Bác sĩ xác định bà Lựu bị ngộ độc thuốc sâu."
    assert types_of("Chiều 6/6, bệnh viện tỉnh Gia Lai đang điều trị cho bà Lựu do bị ngộ độc.", pesticide) == []
    gas = "Nguyên nhân ban đầu do rò rỉ khí tại xưởng."
    assert types_of("Sáng 9/5, hàng chục công nhân ở Gia Lai bị ngộ độc, phải đưa đi cấp cứu.", gas) == \
        ["workplace_accident"]
    assert types_of("Sáng 9/5, hàng chục công nhân ở Gia Lai bị ngộ độc sau bữa ăn sáng.") == ["food_poisoning"]
    # and so do the symptoms: workers nauseous at a gas leak, patients taken ill during dialysis
    assert types_of("Sáng 9/5, hàng chục công nhân ở Gia Lai bị đau bụng, buồn nôn, phải đưa đi cấp cứu.", gas) == \
        ["workplace_accident"]
    assert types_of("Ngày 29/5, tại bệnh viện tỉnh Hòa Bình, 18 bệnh nhân đang chạy thận bất ngờ buồn nôn, đau bụng, "
                    "có biểu hiện sốc phản vệ.") == []
    assert types_of("Ngày 29/5, tại Hòa Bình, 18 công nhân bị buồn nôn, đau bụng sau bữa ăn ca.") == ["food_poisoning"]
    # one who fell from a height in a story of suicide did not fall at work
    fall = "Sáng 3/5, một người phụ nữ rơi từ trên cao xuống sân tòa nhà, tử vong tại chỗ."
    assert "workplace_accident" in cue_labels(fall)
    assert cue_labels(fall + "\nNgười dân cho biết chị đã nhảy từ tầng 5 xuống.") == set()


def test_luring_girls_to_work_illegally_abroad_is_trafficking_not_fraud() -> None:
    article = Article(doc_id="h1", text="Ngăn chặn đưa 3 bé gái sang Trung Quốc\n"
                      "Ngày 10/7, Công an tỉnh Nghệ An vừa ngăn chặn ý đồ lừa đảo 3 bé gái đi lao động bất hợp pháp "
                      "tại Trung Quốc.")
    assert rules()(article).event_types == ["human_trafficking"]


def test_each_statistic_is_an_event_of_its_own_unless_it_breaks_down_or_restates_one() -> None:
    _, debts = told("wage_arrears", "2022-07-20",
        "Bảo đảm quyền lợi người lao động",
        "Tính đến ngày 30/6/2022, toàn tỉnh Hà Nam còn 118 doanh nghiệp nợ đóng BHXH từ 3 tháng trở lên.",
        "Trong đó, 40 doanh nghiệp nợ BHXH trên 12 tháng.",
        "Trong 6 tháng, LĐLĐ tỉnh đã khởi kiện 03 doanh nghiệp nợ BHXH kéo dài ra Tòa án.",
        "Cả 118 doanh nghiệp nợ đóng BHXH đều đã được đôn đốc.",
    )
    assert [(e.kind, sorted(c.value for c in e.counts)) for e in debts] == \
        [("aggregate", [40, 118]), ("aggregate", [3])]


def test_an_owner_who_absconds_owes_wages_however_the_firm_is_named() -> None:
    assert cue_labels("Từ đầu năm 2020 đến nay, Đồng Nai đã xảy ra 8 vụ chủ doanh nghiệp FDI bỏ trốn.") == \
        {"wage_arrears"}
    assert cue_labels("Chủ DN bỏ trốn để lại khoản nợ lớn.") == {"wage_arrears"}


def test_lending_to_many_is_a_cue_of_usury_and_a_bank_that_lends_is_none() -> None:
    assert cue_labels("Bước đầu xác định, từ đầu năm đến nay, Hùng đã cho 23 người vay với tổng số tiền gần 2 tỷ "
                      "đồng.") == {"loan_sharking"}
    assert cue_labels("Ngân hàng đã cho vay ưu đãi với lãi suất thấp.") == set()


def test_a_report_gives_way_to_the_uncued_sentence_that_tells_what_happened_that_day() -> None:
    article, found = told("gambling", "2018-11-20",
        "Triệt phá sới bạc",
        "Ngày 20/11, Công an TX. Sơn Tây (Hà Nội) cho biết vừa triệt phá một sới bạc tại nhà Đỗ Văn Hùng.",
        "Khoảng 15h chiều 18/11, tổ công tác bất ngờ ập vào, bắt quả tang 17 đối tượng, thu giữ hơn 120 triệu đồng.",
        "Các đối tượng tham gia đánh bạc sẽ bị xử lý theo quy định.",
    )
    (event,) = found
    assert event.evidence.startswith("Khoảng 15h chiều 18/11") and event.time.start == "2018-11-18"
    assert article.text[event.start:event.end] == event.evidence and event.confidence > 0
    # a sentence that is no report keeps the evidence
    _, found = told("gambling", "2018-11-20",
        "Triệt phá sới bạc",
        "Ngày 18/11, Công an TX. Sơn Tây triệt phá một sới bạc tại nhà Đỗ Văn Hùng.",
        "Khoảng 15h chiều 18/11, tổ công tác bất ngờ ập vào, bắt quả tang 17 đối tượng.",
    )
    assert [e.evidence[:9] for e in found] == ["Ngày 18/1"]


def test_a_title_kept_apart_from_the_body_reads_as_the_same_article() -> None:
    # an archive with `title` and a `text` that does not repeat it: the body's lead is the story,
    # not a headline restating it, and every offset still points into the text as given
    title = "Cháy dãy trọ ở Bình Dương, 2 người tử vong"
    body = ("Chiều 24-8, tại phường Tân Đông Hiệp, TP Dĩ An, Bình Dương xảy ra vụ cháy dãy nhà trọ làm 2 người tử "
            "vong, 3 người bị thương.\nNguyên nhân vụ cháy đang được cơ quan chức năng điều tra.")
    apart = rules()(Article(doc_id="a", title=title, text=body))
    joined = rules()(Article(doc_id="j", title=title, text=f"{title}\n{body}"))

    def told(record: Record, shift: int) -> list[tuple[str, str, list[tuple[str, float, int]]]]:
        return [(e.type, e.evidence, [(c.unit, c.value, c.start - shift) for c in e.counts]) for e in record.events]
    assert told(apart, 0) == told(joined, len(title) + 1)
    assert [(c.unit, c.value) for e in apart.events for c in e.counts] == [("deaths", 2), ("injuries", 3)]
    assert all(body[c.start:c.end] == c.text for e in apart.events for c in e.counts)


def test_a_case_that_also_happened_elsewhere_is_another_event() -> None:
    _, attacks = told("violent_crime", "2017-06-15",
        "Côn đồ kéo đến Lâm Đồng trả thù",
        "Sáng 13/6, khoảng 120 thanh niên kéo tới quán của anh Hoàn ở huyện Di Linh (Lâm Đồng) hành hung con anh Hoàn.",
        "Mới đây tại Phú Thọ cũng xảy ra vụ việc 30 côn đồ dùng dao kiếm chém người trên quốc lộ 32.",
    )
    assert sorted(e.location.province for e in attacks) == ["Lâm Đồng", "Phú Thọ"]


def test_a_figure_goes_to_the_offence_of_its_own_part_of_a_list() -> None:
    report = Article(doc_id="l", text="Tình hình lao động năm 2024 ở Bắc Giang\n"
                     "Năm 2024, trên địa bàn tỉnh Bắc Giang xảy ra 2 vụ ngộ độc thực phẩm tập thể tại bếp ăn của "
                     "doanh nghiệp làm 127 công nhân phải nhập viện; 16 vụ tai nạn lao động làm 18 người bị nạn.")
    assert {e.type: [(c.unit, c.value) for c in e.counts] for e in rules()(report).events} == {
        "food_poisoning": [("incidents", 2), ("people", 127)],
        "workplace_accident": [("incidents", 16), ("victims", 18)]}
