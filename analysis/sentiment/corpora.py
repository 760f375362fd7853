#!/usr/bin/env python3
"""Fetch the public labelled corpora the embedded sentiment model is trained
on and write each as a label<TAB>text file (1 positive, 0 negative) into the
directory given (make sentiment-corpora: SENTIMENT_CORPORA, default
../corpora). Standard library only.

Every source is one file of a public GitHub repository at a fixed commit
(README: Training corpora, for each one's origin and terms). Files are taken
one by one, never whole repositories: some of these repositories also hold
the team's evaluation sets (ChnSentiCorp hotels, online_shopping_10_cats),
which must not be downloaded.

With MIRROR=/dir, a source is read with `git show` from a local clone at
MIRROR/owner+name/repo instead of downloaded.
"""
import csv
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
import zipfile


def fetch(repo, commit, path):
    mirror = os.environ.get("MIRROR")
    if mirror:
        git = os.path.join(mirror, repo.replace("/", "+"), "repo")
        return subprocess.run(["git", "-C", git, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout
    url = f"https://raw.githubusercontent.com/{repo}/{commit}/{urllib.parse.quote(path)}"
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def clean(text):
    # One row per line: tabs and line breaks inside a text become spaces.
    return re.sub(r"\s+", " ", text.replace("\ufeff", "")).strip()


def write(out, name, rows):
    path = os.path.join(out, name)
    n = {"1": 0, "0": 0}
    with open(path, "w", encoding="utf-8") as f:
        f.write("label\ttext\n")
        for label, text in rows:
            text = clean(text)
            if text and label in n:
                f.write(f"{label}\t{text}\n")
                n[label] += 1
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"{name}: {n['1']} positive, {n['0']} negative, sha256 {digest}")


def xlsx_rows(data):
    """Rows of the first sheet of an .xlsx, as lists of strings."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for row in sheet.iter(f"{{{ns['m']}}}row"):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            v = c.find("m:v", ns)
            if c.get("t") == "s" and v is not None:
                cells[col] = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t"))
            else:
                cells[col] = v.text if v is not None else ""
        yield [cells.get(col, "") for col in ("A", "B", "C")]


# SMP2020-EWECT emotions: happy is positive; angry, sad and fear negative;
# surprise and neutral carry no polarity and are left out.
EMOTION = {"happy": "1", "angry": "0", "sad": "0", "fear": "0"}


def main(out):
    os.makedirs(out, exist_ok=True)

    # NLPCC 2014 task 2 (amazon.cn product reviews), already label<TAB>text_a.
    data = fetch("WD-2711/Emotion_Analysis_NS", "ac41cf2c93af463d9b9a6809c4e12986b31abd44", "data/train.tsv")
    with open(os.path.join(out, "nlpcc14-sc-train.tsv"), "wb") as f:
        f.write(data)  # kept as published: the reader handles its quoting
    print(f"nlpcc14-sc-train.tsv: sha256 {hashlib.sha256(data).hexdigest()}")

    # SenticNet's Chinese review sentences, four product kinds.
    z = zipfile.ZipFile(io.BytesIO(fetch("lqfeng/NLPDataset", "fb49caf16f5d8988c850ce37ee1febdda2ec50d7",
                                         "情感分析/Sentiment_Analysis/data/chinese-review-datasets.zip")))
    for kind in ("phone", "camera", "car", "notebook"):
        labels = z.read(f"Chinese review datasets/{kind}_label.txt").decode("utf-8").splitlines()
        texts = z.read(f"Chinese review datasets/{kind}_sentence.txt").decode("utf-8").splitlines()
        write(out, f"senticnet-{kind}.tsv", ((l.strip(), t) for l, t in zip(labels, texts)))

    # weibo2018: 10,000 + 500 Weibo posts, id,label,text without a header.
    rows = []
    for split in ("train", "test"):
        data = fetch("dengxiuqi/WeiboSentiment", "5a7f915b58489cd890aafa24a841d5135e988031", f"data/weibo2018/{split}.txt")
        for line in data.decode("utf-8").splitlines():
            parts = line.split(",", 2)
            if len(parts) == 3 and parts[1] in ("0", "1"):
                rows.append((parts[1], parts[2]))
    write(out, "weibo2018.tsv", rows)

    # SMP2020-EWECT Weibo emotions, general (usual) and epidemic (virus)
    # posts: the training sets and the labelled evaluation and test sets.
    repo, commit, base = "Chop0905/weibo_sentiment_analyze", "95cd7d0da79af698da965d60424de7b1fe3419a9", "BERT_model/work/评测数据集/"
    for topic in ("usual", "virus"):
        rows = []
        if topic == "usual":  # the .txt copy of this one is not in the repository's smaller files
            for i, (_, content, label) in enumerate(xlsx_rows(fetch(repo, commit, base + "train/usual_train.xlsx"))):
                # This copy numbers the emotions alphabetically.
                label = {"0": "angry", "1": "fear", "2": "happy", "3": "neutral", "4": "sad", "5": "surprise"}.get(label)
                if i > 0 and label in EMOTION:
                    rows.append((EMOTION[label], content))
        else:
            for r in json.loads(fetch(repo, commit, base + "train/virus_train.txt")):
                if r["label"] in EMOTION:
                    rows.append((EMOTION[r["label"]], r["content"]))
        for part in (f"eval（刷榜数据集）/{topic}_eval_labeled.txt", f"test（最终评测集）/真实评测集/{topic}_test_labeled.txt"):
            for r in json.loads(fetch(repo, commit, base + part)):
                if r.get("label") in EMOTION:
                    rows.append((EMOTION[r["label"]], r["content"]))
        write(out, f"smp2020-ewect-{topic}.tsv", rows)

    # Douban movie short comments: 1 star negative, 5 stars positive.
    rows = []
    for split in ("train", "test"):
        data = fetch("csuldw/comment-sentiment-analysis", "8470a1f6df6f276416ca32b8f4110488c6fabbd5", f"data/comment_{split}set_2class.csv")
        for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig"))):
            if r["label"] in ("1", "-1"):
                rows.append(("1" if r["label"] == "1" else "0", r["CONTENT"]))
    write(out, "douban-movie.tsv", rows)

    # Human-computer conversation logs (CIS 2016), the 11,577 labelled by
    # hand; the text was segmented with jieba, so the spaces between Chinese
    # characters are taken out again.
    data = fetch("zhusleep/Chinese_conversation_sentiment", "233b2db677ec4a423fc80c3251242b1d3f20f9a1", "data/sentiment_XS_test.txt")
    rows = []
    for line in data.decode("utf-8").splitlines()[1:]:
        label, _, text = line.partition(",")
        if label in ("positive", "negative"):
            text = re.sub(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])", "", text)
            rows.append(("1" if label == "positive" else "0", text))
    write(out, "conversation-xs.tsv", rows)

    # JD.com laptop and tablet review clauses labelled by hand: 1 positive,
    # 2 negative, 0 neither (left out).
    rows = []
    for name in ("manually_labeled_data_sentiment.txt", "sentiment_test_data.txt"):
        data = fetch("hz-wang/JD_comment_classification", "07cc1dd148ed7e4b266680ea5b7174ac872785b7", "data/" + name)
        for line in data.decode("utf-8").splitlines():
            label, _, text = line.partition("\t")
            if label in ("1", "2"):
                rows.append(("1" if label == "1" else "0", text))
    write(out, "jd-clauses.tsv", rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../corpora")
