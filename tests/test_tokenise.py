from pipeline.tokenise import blank_vietnamese, split_sentences, tokens


def test_words_are_underthesea_words_in_a_spacy_doc() -> None:
    sentence = "Sáng 12/3, khoảng 1.500 công nhân Công ty Hanshin Vina đã ngừng việc tập thể."
    doc = tokens(sentence)
    words = [t.text for t in doc]
    assert "công nhân" in words and "1.500" in words
    assert doc.text == sentence  # offsets of tokens are offsets in the sentence
    assert all(sentence[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    assert doc.vocab is blank_vietnamese().vocab


def test_sentences_are_spans_of_the_text() -> None:
    text = "Vụ cháy xảy ra lúc 19h. Không có thương vong.\nCông an TP.HCM đang điều tra."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Vụ cháy xảy ra lúc 19h.", "Không có thương vong.", "Công an TP.HCM đang điều tra."]


def test_a_unit_abbreviation_ends_no_sentence() -> None:
    text = ("Sáng 3/1, gần 1.000 công nhân (phường An Phú, TX. Thuận An, Bình Dương) đã lãn công. "
            "Công an TT. Phú Bài cho biết.\nAnh Lê Văn H. cho biết thêm. Nạn nhân là anh H. Anh H. đi cấp cứu.")
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences[:2] == ["Sáng 3/1, gần 1.000 công nhân (phường An Phú, TX. Thuận An, Bình Dương) đã lãn công.",
                             "Công an TT. Phú Bài cho biết."]
    # a one-letter initial is a person's, and underthesea's own reading stands
    assert sentences[2] == "Anh Lê Văn H. cho biết thêm."


def test_a_persons_initials_end_no_sentence() -> None:
    text = ("Theo cáo trạng, trưa 3-8-2018, bà P.T. L. (72 tuổi) nhận được cuộc gọi. Chị Đ.T.H. cho biết thêm. "
            "Ông Lê Văn T. khai nhận. Ông T. bị bắt.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Theo cáo trạng, trưa 3-8-2018, bà P.T. L. (72 tuổi) nhận được cuộc gọi.", "Chị Đ.T.H. cho biết thêm.",
        "Ông Lê Văn T. khai nhận.", "Ông T. bị bắt."]


def test_a_heading_or_caption_run_into_a_sentence_is_cut_off() -> None:
    # archives that lost the page's line breaks run sub-headings and photo credits into the story
    text = ("Súng, đạn mà đối tượng đã sử dụng Qua kiểm tra ban đầu, khẩu súng là súng ru lô. "
            "Nạn nhân bị thương - Ảnh: Quang Hưng/Tuổi Trẻ Theo đó, vào ngày 1/1, đoàn kiểm tra đến. "
            "Anh Nguyễn Văn Theo cho biết hôm qua trời mưa. Hôm nay là kỷ niệm Ngày Thương binh liệt sĩ.")
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Súng, đạn mà đối tượng đã sử dụng", "Qua kiểm tra ban đầu, khẩu súng là súng ru lô.",
        "Nạn nhân bị thương - Ảnh: Quang Hưng/Tuổi Trẻ", "Theo đó, vào ngày 1/1, đoàn kiểm tra đến.",
        # a name and a holiday are no sentence openers
        "Anh Nguyễn Văn Theo cho biết hôm qua trời mưa.", "Hôm nay là kỷ niệm Ngày Thương binh liệt sĩ."]
