"""Comment markup of the common engines in HTML pages (tenor/analyze/_comment_markup.py).

Golden pages: tests/golden/analyze/comment_markup/NAME.html is read and compared with NAME.json (a
list of page_to_dict, pretty-printed); TENOR_REGEN_GOLDEN=1 rewrites the .json files: read them
before trusting them. The pages and the snippets below reproduce each engine's markup; the README
next to the pages says where each comes from.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

from tenor.analyze._detect import READERS, detect_format
from tenor.analyze._html import read_html
from tenor.analyze._page import Comment, Page, page_to_dict

from .test_analyze_readers import assert_offsets_consistent

GOLDEN = Path(__file__).parent / "golden" / "analyze" / "comment_markup"
PAGES = [  # one per markup; each NAME.html has its NAME.json
    "disqus_noscript.html", "isso.html", "schema_org_comments.html", "twentytwelve_nested.html",
    "unreadable_comments.html", "wordpress_li_comment.html",
]  # fmt: skip


def read(markup: str) -> Page:
    [page] = read_html(markup.encode("utf-8"), "x.html")
    assert_offsets_consistent(page)
    return page


def golden(name: str) -> Page:
    [page] = read_html((GOLDEN / name).read_bytes(), name)
    return page


def threads(page: Page) -> list[tuple[str, str | None, str | None]]:
    return [(c.id, c.parent, c.author) for c in page.comments]


def has_format_evidence(comment: Comment) -> bool:
    return [e.kind for e in comment.reply_evidence] == (["format"] if comment.parent else [])


# --- golden pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_golden(name: str) -> None:
    data = (GOLDEN / name).read_bytes()
    pages = read_html(data, name)
    got = [page_to_dict(p) for p in pages]
    expected = (GOLDEN / name).with_suffix(".json")
    if os.environ.get("TENOR_REGEN_GOLDEN") == "1":
        expected.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected.read_text(encoding="utf-8"))
    for page in pages:
        assert_offsets_consistent(page)
    assert READERS[detect_format(name, data[:65536])](data, name) == pages


@pytest.mark.parametrize("name", [p for p in PAGES if p != "unreadable_comments.html"])
def test_comments_are_read_and_kept_out_of_the_article(name: str) -> None:
    page = golden(name)
    assert len(page.comments) >= 3 and len(page.article.paragraphs) >= 3
    assert all(c.author and c.text for c in page.comments)
    assert all(has_format_evidence(c) for c in page.comments)
    for comment in page.comments:
        assert comment.text not in page.article.text, comment.text
    for noise in ("Reply", "says:", "Post Comment", "powered by Disqus", "Submit", "permalink"):
        assert noise not in page.article.text


def test_wordpress_li_comment_wraps_the_comment_and_pingbacks_are_left_out() -> None:
    page = golden("wordpress_li_comment.html")  # Twenty Ten: li#li-comment-N > div#comment-N
    assert threads(page) == [
        ("311", None, "Margaret Hale"),
        ("314", "311", "editor"),
        ("320", None, "Dev Patel"),
    ]
    assert page.comments[0].posted == "October 14, 2012 at 6:05 pm"
    first = "Forty-one households for twenty plots. Half the plots on Mill Lane are brambles by August, so"
    assert [p.text for p in page.comments[0].paragraphs] == [
        f"{first} the inspections can’t come soon enough.", "Put the new site to a vote.",
    ]  # fmt: skip
    assert "Pingback" not in " ".join(c.text for c in page.comments) and page.warnings == []


def test_twentytwelve_article_comments_nest_three_deep() -> None:
    page = golden("twentytwelve_nested.html")  # li#li-comment-N > article#comment-N.comment
    assert threads(page) == [
        ("5021", None, "Sam Okoro"),
        ("5024", "5021", "Linh"),
        ("5030", "5024", "Mina Kaur"),
        ("5033", None, "Pete"),
    ]  # fmt: skip  (Mina Kaur's cite also says "Post author": the name is b.fn's)
    assert page.comments[2].posted == "2015-01-12T13:05:00+00:00"
    assert page.comments[2].text.endswith("will publish them.") and len(page.comments[2].paragraphs) == 2
    assert "5040" not in [c.id for c in page.comments]  # the pingback, though it has a comment's id


def test_disqus_comments_inside_noscript_are_read() -> None:
    page = golden("disqus_noscript.html")
    assert threads(page) == [
        ("90412", None, "Harbourside Resident"), ("90418", "90412", "FerryWatch"), ("90433", None, "Guest"),
    ]  # fmt: skip
    assert [p.text for p in page.comments[0].paragraphs] == [
        "Second rise in a year and the 7:10 was cancelled twice last week.",
        "What exactly are we paying more for?",
    ]
    assert page.warnings == []  # the embed script is there, but so are its comments


def test_schema_org_comment_microdata() -> None:
    page = golden("schema_org_comments.html")
    assert threads(page) == [
        ("c-8812", None, "Rosa Bell"),
        ("c-8815", "c-8812", "T. Marsh"),
        ("c-8820", None, "northgate_dad"),
    ]
    assert [c.posted for c in page.comments] == [
        "2024-05-03T09:12:00+01:00", "2024-05-03T10:40:00+01:00", "2024-05-03T12:03:00+01:00",
    ]  # fmt: skip
    assert page.comments[1].text == "Full of people on their phones, mostly.\n\nStill, good news."


def test_isso_thread_keeps_the_replies_of_a_deleted_comment() -> None:
    page = golden("isso.html")  # the reply box's preview is an .isso-comment too, without an id
    assert threads(page) == [("14", None, "Wren"), ("15", "14", "Kai"), ("18", "17", "Morgan")]
    assert page.comments[0].posted == "2022-11-06T18:22:31Z"
    assert page.warnings == ["comments without text left out (replies to them keep their parent id): 17"]


def test_a_comment_area_in_unknown_markup_gets_a_warning() -> None:
    page = golden("unreadable_comments.html")
    assert page.comments == []
    assert page.warnings == ["the comment area #comments holds markup tenor cannot read: 0 comments read"]


# --- engines rendered into the page --------------------------------------------------------------

# commento.js commentsRecurse() (Commento, and Commento++ which adds #commento-comment-text-HEX)
COMMENTO = """<div id="commento"><div id="commento-comments-area" class="commento-comments"><div>
<div id="commento-comment-card-aa11" class="commento-card" style="border-left: 2px solid #396ab1;">
 <div class="commento-header">
  <div id="commento-comment-options-aa11" class="commento-options"><button id="commento-comment-reply-aa11"
   class="commento-option-button commento-option-reply" title="Reply"></button></div>
  <div class="commento-avatar" style="background: #396ab1;">R</div>
  <a id="commento-comment-name-aa11" class="commento-name" href="https://rita.example"
   rel="nofollow noopener">Rita</a>
  <div id="commento-comment-subtitle-aa11" class="commento-subtitle"><div class="commento-score">3
   points</div>
   <div id="commento-comment-timeago-aa11" class="commento-timeago" title="3/12/2024">2 days ago</div></div>
 </div>
 <div id="commento-comment-contents-aa11">
  <div id="commento-comment-body-aa11" class="commento-body"><div id="commento-comment-text-aa11">
   <p>The second bridge was promised in 2019.</p></div><a class="commento-permalink"
    href="#commento-aa11">permalink</a></div>
  <div id="commento-comment-children-aa11" class="commento-body"><div>
   <div id="commento-comment-card-bb22" class="commento-card">
    <div class="commento-header"><div class="commento-avatar">?</div>
     <div id="commento-comment-name-bb22" class="commento-name commento-anonymous">Anonymous</div>
     <div class="commento-subtitle"><div class="commento-timeago" title="3/13/2024">1 day
      ago</div></div></div>
    <div id="commento-comment-contents-bb22"><div id="commento-comment-body-bb22" class="commento-body">
     <p>And in 2015.</p></div></div>
   </div>
  </div></div>
 </div>
</div>
</div></div></div>"""


def test_commento_cards_nest_their_replies() -> None:
    page = read(COMMENTO)
    assert threads(page) == [("aa11", None, "Rita"), ("bb22", "aa11", "Anonymous")]
    assert [(c.text, c.posted) for c in page.comments] == [
        ("The second bridge was promised in 2019.", "3/12/2024"), ("And in 2015.", "3/13/2024"),
    ]  # fmt: skip


# Remark42's comment.tsx / thread.tsx: a reply's thread sits in its parent's, after its article
REMARK42 = """<div class="root root_theme_light"><div class="root__threads" role="list">
<div class="thread_3kq" role="listitem list" aria-expanded="true">
 <article class="comment comment_theme_light" id="remark42__comment-5f1c2a">
  <div class="comment__info"><div class="comment__avatar"><img class="avatar-icon" src="/a.png" alt=""></div>
   <div class="user_x"><button class="comment__username">umputun</button></div>
   <a href="https://radio-t.example/p/900/#remark42__comment-5f1c2a" class="comment__time">3/12/2024 at
    9:14 PM</a>
   <span class="votes_q"><span>+3</span></span></div>
  <div class="comment__body"><div class="comment__text raw-content"><p>Great episode.</p></div>
   <div class="actions_x"><button>Reply</button></div></div>
 </article>
 <div class="thread_3kq indented_z" role="listitem" aria-expanded="true">
  <article class="comment comment_theme_light" id="remark42__comment-7a2b90">
   <div class="comment__info"><div class="user_x"><button class="comment__username">bobuk</button></div>
    <a href="https://radio-t.example/p/900/#remark42__comment-7a2b90" class="comment__time">3/12/2024 at
     9:30 PM</a>
    <a class="anchor_r" href="https://radio-t.example/p/900/#remark42__comment-5f1c2a"
     title="Go to parent comment"></a></div>
   <div class="comment__body"><div class="comment__text raw-content"><p>Thanks!</p></div></div>
  </article>
  <div class="collapse_y"><div></div></div>
 </div>
</div>
<div class="thread_3kq" role="listitem" aria-expanded="true">
 <article class="comment" id="remark42__comment-9c3d11"><div class="comment__info">
  <button class="comment__username">ksenks</button><a class="comment__time"
   href="#remark42__comment-9c3d11">3/13/2024</a></div>
  <div class="comment__body"><div class="comment__text raw-content"><p>Where is the
   list?</p></div></div></article>
</div>
</div></div>"""


def test_remark42_threads_give_parents() -> None:
    page = read(REMARK42)
    assert threads(page) == [
        ("5f1c2a", None, "umputun"),
        ("7a2b90", "5f1c2a", "bobuk"),
        ("9c3d11", None, "ksenks"),
    ]
    assert page.comments[1].posted == "3/12/2024 at 9:30 PM" and page.comments[1].text == "Thanks!"
    flat = REMARK42.replace('role="listitem"', "").replace('role="listitem list"', "")
    assert threads(read(flat))[1][1] == "5f1c2a"  # the "go to parent" link says it without the threads


# Coral's CommentContainer.tsx, Comment.tsx and ReplyList.tsx (classes from stream/classes.ts)
CORAL = """<div class="coral coral-stream"><div class="CommentThread-root">
<div class="HorizontalGutter-root">
 <div class="Comment-root coral coral-comment coral-reacted-2" tabindex="-1"
  id="comment-6c1d1f6e-aaaa-4bbb-8ccc-111111111111"
  role="article" aria-labelledby="comment-6c1d1f6e-aaaa-4bbb-8ccc-111111111111-label">
  <span id="comment-6c1d1f6e-aaaa-4bbb-8ccc-111111111111-label" class="Hidden-root">Comment from Tom 2
   hours ago</span>
  <div class="coral coral-comment-topBar"><div class="Comment-username"><button class="coral coral-username
   coral-comment-username"><span>Tom</span></button></div><time
   class="coral coral-timestamp coral-comment-timestamp" datetime="2024-03-12T09:14:00.000Z"
   title="3/12/2024, 9:14:00 AM">2 hours ago</time></div>
  <div class="coral coral-content coral-comment-content">The council should publish the survey.</div>
  <div class="coral coral-comment-actionBar"><button class="coral coral-reactButton">Respect</button>
   <button class="coral coral-comment-replyButton">Reply</button></div>
 </div>
 <div id="coral-comments-replyList-log--6c1d1f6e-aaaa-4bbb-8ccc-111111111111" role="log">
  <div class="HorizontalGutter-root"><div class="coral coral-comment"
   id="comment-8e2f0000-aaaa-4bbb-8ccc-222222222222" role="article">
   <div class="coral coral-comment-topBar"><button class="coral coral-username
    coral-comment-username"><span>Ada</span></button>
    <time class="coral coral-timestamp coral-comment-timestamp" datetime="2024-03-12T10:01:00.000Z">1 hour
     ago</time></div>
   <div class="coral coral-comment-inReplyTo">In reply to <span class="coral
    coral-comment-inReplyToUsername">Tom</span></div>
   <div class="coral coral-content coral-comment-content"><p>It is on page 40 of the agenda.</p></div>
  </div></div>
 </div>
</div>
</div></div>"""
TOM, ADA = "6c1d1f6e-aaaa-4bbb-8ccc-111111111111", "8e2f0000-aaaa-4bbb-8ccc-222222222222"


def test_coral_reply_lists_name_the_parent() -> None:
    page = read(f'<div id="coral_thread">{CORAL}</div>')
    assert threads(page) == [(TOM, None, "Tom"), (ADA, TOM, "Ada")]
    assert [(c.text, c.posted) for c in page.comments] == [
        ("The council should publish the survey.", "2024-03-12T09:14:00.000Z"),
        ("It is on page 40 of the agenda.", "2024-03-12T10:01:00.000Z"),
    ]


def test_coral_in_a_declarative_shadow_root() -> None:
    story = "".join(
        f"<p>Paragraph {n} of the story about the bridge survey the council published.</p>" for n in range(4)
    )
    shadow = f'<div id="coral-shadow-container"><template shadowrootmode="open">{CORAL}</template></div>'
    page = read(f'<html><body><article><h1>Survey</h1>{story}</article><div id="coral_thread">{shadow}</div>')
    assert threads(page) == [(TOM, None, "Tom"), (ADA, TOM, "Ada")]
    assert "council should publish" not in page.article.text and "Paragraph 3" in page.article.text


# Discourse's app/views/embed/comments.html.erb: replies only (the topic's first post is the article)
DISCOURSE = """<header class='discourse'><a class="button"
  href="https://forum.example/t/bridge/123/2">Continue Discussion</a>
<span class='replies'>2 replies</span></header>
<article class='post' id='post-4411'>
 <a class="post-date" target="_blank" title="March 12, 2024  9:14am"
  href="https://forum.example/t/bridge/123/2">Mar '24</a>
 <div class='author'><a href='https://forum.example/u/ana' target="_blank"><img src='/a.png' alt=''></a></div>
 <div class='cooked'><h3 class='username'><a href='https://forum.example/u/ana' class=''>ana</a><span
  class='title'>Regular</span></h3>
  <p>Does the toll go up too?</p>
  <a class="post-replies button" data-link-to-post="4415" href="https://forum.example/t/bridge/123/2">1
   Reply</a></div>
</article>
<article class='post' id='post-4415'>
 <a class="post-date" target="_blank" title="March 12, 2024 10:02am"
  href="https://forum.example/t/bridge/123/3">Mar '24</a>
 <a data-link-to-post="4411" class="in-reply-to" href="https://forum.example/t/bridge/123/2">in reply to
  ana</a>
 <div class='author'><a href='https://forum.example/u/ben' target="_blank"><img src='/b.png' alt=''></a></div>
 <div class='cooked'><h3 class='username'><a href='https://forum.example/u/ben'
  class='staff'>ben</a></h3><p>No, it stays at 1.20.</p></div>
</article>"""


def test_discourse_embed_posts_and_in_reply_to() -> None:
    page = read(DISCOURSE)
    assert threads(page) == [("4411", None, "ana"), ("4415", "4411", "ben")]
    assert [(c.text, c.posted) for c in page.comments] == [
        ("Does the toll go up too?", "March 12, 2024 9:14am"),
        ("No, it stays at 1.20.", "March 12, 2024 10:02am"),
    ]
    wordpress_post = (
        '<article id="post-88" class="post-88 post type-post"><h1>T</h1><p>No comment.</p></article>'
    )
    assert read(wordpress_post).comments == []  # WordPress's own article is an article.post#post-N too


# Disqus's embed document (li.post, [data-role=children], a parent-link to a full URL), as
# SingleFile saves it: the embed's iframe with its document in srcdoc.
DISQUS_APP = """<html><body><div id="layout"><ul id="post-list" class="post-list">
<li class="post" id="post-6500000001"><div data-role="post-content" class="post-content"><div
  class="post-body">
 <header class="comment__header"><span class="post-byline"><span class="author publisher-anchor-color">
  <a href="https://disqus.com/by/nina/" data-username="nina">Nina</a></span></span>
  <span class="post-meta"><a href="https://valleycourier.example/x#comment-6500000001"
   data-role="relative-time" class="time-ago"
   title="Tuesday, March 12, 2024 9:14 AM">a year ago</a></span></header>
 <div class="post-body-inner"><div class="post-message-container" data-role="message-container">
  <div class="post-message " data-role="message"
   dir="auto"><div><p>First!</p></div></div></div></div></div></div>
 <ul data-role="children" class="children">
  <li class="post" id="post-6500000002"><div class="post-content"><div class="post-body"><header
   class="comment__header">
   <span class="post-byline"><span class="author publisher-anchor-color"><a
    href="https://disqus.com/by/omar/">Omar</a></span></span>
   </header><div class="post-message " data-role="message"><p>Nested reply.</p></div></div></div></li>
 </ul></li>
<li class="post" id="post-6500000003"><div class="post-content"><div class="post-body"><header
  class="comment__header">
 <span class="post-byline"><span class="author publisher-anchor-color"><a
  href="https://disqus.com/by/pia/">Pia</a></span>
 <span class="parent-link-container"><a href="https://valleycourier.example/x#comment-6500000002"
  class="parent-link"
  data-role="parent-link"><i aria-label="in reply to" class="icon-forward"></i>
   Omar</a></span></span></header>
 <div class="post-message " data-role="message"><p>Flattened reply.</p></div></div></div></li>
</ul></div></body></html>"""


def test_disqus_saved_in_an_iframe_srcdoc() -> None:
    iframe = f'<iframe id="dsq-app4821" title="Disqus" srcdoc="{html.escape(DISQUS_APP)}"></iframe>'
    page = read(f'<article><p>Story.</p></article><div id="disqus_thread">{iframe}</div>')
    assert threads(page) == [
        ("6500000001", None, "Nina"),
        ("6500000002", "6500000001", "Omar"),
        ("6500000003", "6500000002", "Pia"),
    ]
    assert page.comments[0].posted == "Tuesday, March 12, 2024 9:14 AM"
    assert all(has_format_evidence(c) for c in page.comments) and page.warnings == []


def test_noscript_escaped_to_text_is_parsed_as_html() -> None:
    dsq = """<div id="dsq-content"><ul id="dsq-comments"><li id="dsq-comment-7"><div
  class="dsq-comment-header">
      <cite><span id="dsq-author-user-7">Kim</span></cite></div><div class="dsq-comment-body">
      <div class="dsq-comment-message"><p>Escaped, and read.</p></div></div></li></ul></div>"""
    story = "".join(
        f"<p>Paragraph {n} of a story about the ferry timetable and the winter crossings.</p>"
        for n in range(4)
    )
    page = read(
        f'<article><h1>Ferries</h1>{story}</article><div id="disqus_thread"></div>'
        f"<noscript>{html.escape(dsq)}</noscript>"
    )
    assert [(c.id, c.author, c.text) for c in page.comments] == [("7", "Kim", "Escaped, and read.")]
    assert "dsq" not in page.article.text and "Paragraph 3" in page.article.text


# --- WordPress variants --------------------------------------------------------------------------


def test_wordpress_core_markup_in_a_theme_list_named_comments() -> None:
    # Walker_Comment::html5_comment() (li#comment-N > article#div-comment-N), in <ol class="comments">
    page = read("""<div id="comments" class="comments"><ol class="comments">
      <li id="comment-71" class="comment even thread-even depth-1 parent"><article id="div-comment-71"
       class="comment-body">
        <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Ann</b> <span
         class="says">says:</span></div>
          <div class="comment-metadata"><a href="#comment-71"><time datetime="2020-01-02T10:00:00+00:00">2
           January 2020</time></a></div>
        </footer><div class="comment-content"><p>First.</p></div><div class="reply"><a
         class="comment-reply-link">Reply</a></div>
      </article>
      <ol class="children"><li id="comment-72" class="comment odd alt depth-2"><article id="div-comment-72"
       class="comment-body">
        <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Bo</b> <span
         class="says">says:</span></div></footer>
        <div class="comment-content"><p>Second.</p></div></article></li></ol>
      </li></ol></div>""")
    assert threads(page) == [("71", None, "Ann"), ("72", "71", "Bo")]
    assert page.comments[0].posted == "2020-01-02T10:00:00+00:00" and page.comments[0].text == "First."


def test_wordpress_div_comments_and_wrappers_without_an_id() -> None:
    # A theme callback of divs, its replies in a div.children after the comment; and an li.comment
    # without an id around div#comment-N (the id is the comment's).
    page = read("""<div id="comments"><h3>4 comments</h3>
      <div class="comment" id="comment-7"><div class="comment-author"><span class="fn">Ann</span></div>
        <div class="comment-meta"><a href="#comment-7">May 1, 2011</a></div><div
         class="comment-text"><p>Div comment.</p></div></div>
      <div class="children"><div class="comment" id="comment-8"><div class="comment-author"><span
       class="fn">Bo</span></div>
        <div class="comment-text"><p>Div reply.</p></div></div></div>
      <ul class="commentlist"><li class="comment"><div id="comment-9"><cite>Cy</cite><p>Wrapped without an
       id.</p></div>
        <ul class="children"><li class="comment"><div id="comment-10"><cite>Di</cite><p>Its
         reply.</p></div></li></ul></li></ul>
    </div>""")
    assert threads(page) == [("7", None, "Ann"), ("8", "7", "Bo"), ("9", None, "Cy"), ("10", "9", "Di")]
    assert page.comments[0].posted == "May 1, 2011"
    assert [c.text for c in page.comments] == [
        "Div comment.",
        "Div reply.",
        "Wrapped without an id.",
        "Its reply.",
    ]


def test_wordpress_with_schema_org_microdata_is_read_once() -> None:
    # The Genesis framework's comment markup: WordPress ids and classes, and schema.org microdata
    page = read("""<div class="entry-comments" id="comments"><h3>Comments</h3><ol class="comment-list">
      <li class="comment even thread-even depth-1" id="comment-12"><article itemprop="comment" itemscope
       itemtype="https://schema.org/Comment">
        <header class="comment-header"><p class="comment-author" itemprop="author" itemscope
         itemtype="https://schema.org/Person">
          <img alt="" src="/a.png"><span itemprop="name"><a href="https://lee.example"
           class="comment-author-link" rel="external nofollow">Lee</a></span>
          <span class="says">says</span></p>
          <p class="comment-meta"><time class="comment-time" datetime="2019-06-01T10:00:00+00:00"
           itemprop="datePublished">
          <a class="comment-time-link" href="#comment-12" itemprop="url">June 1, 2019 at 10:00
           am</a></time></p></header>
        <div class="comment-content" itemprop="text"><p>Genesis comment.</p></div>
        <div class="comment-reply"><a class="comment-reply-link" href="#">Reply</a></div></article>
      <ul class="children"><li class="comment odd alt depth-2" id="comment-13"><article itemprop="comment"
       itemscope itemtype="https://schema.org/Comment">
        <header class="comment-header"><p class="comment-author" itemprop="author" itemscope
         itemtype="https://schema.org/Person">
          <span itemprop="name">Max</span> <span class="says">says</span></p></header>
        <div class="comment-content" itemprop="text"><p>Genesis
         reply.</p></div></article></li></ul></li></ol></div>""")
    assert threads(page) == [("12", None, "Lee"), ("13", "12", "Max")]
    assert [c.text for c in page.comments] == ["Genesis comment.", "Genesis reply."]


# --- markup that cannot be read ------------------------------------------------------------------

STORY = "<article><h1>Bridge</h1><p>The bridge reopens on Wednesday, the council said.</p></article>"


@pytest.mark.parametrize(
    ("markup", "warning"),
    [
        (
            """<div id="disqus_thread"></div><script>var disqus_config = function () {}; (function() { var
  d = document,
            s = d.createElement('script'); s.src = 'https://example.disqus.com/embed.js'; (d.head ||
             d.body).appendChild(s); })();
            </script><noscript>Please enable JavaScript to view the <a
             href="https://disqus.com/?ref_noscript">comments
            powered by Disqus.</a></noscript>""",
            "comments are loaded by Disqus's script and the saved page holds none: 0 comments read",
        ),
        (
            """<div id="coral_thread"></div><script>(function() { var s = document.createElement('script');
            s.src = 'https://coral.example/assets/js/embed.js'; s.onload = function() {
             Coral.createStreamEmbed({ id: "coral_thread",
            autoRender: true, rootURL: 'https://coral.example' }); }; document.body.appendChild(s);
             })();</script>""",
            "comments are loaded by Coral's script and the saved page holds none: 0 comments read",
        ),
        (
            '<script defer src="https://cdn.commento.io/js/commento.js"></script><div id="commento"></div>',
            "comments are loaded by Commento's script and the saved page holds none: 0 comments read",
        ),
        (
            """<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3
  id="reply-title"
            class="comment-reply-title">Leave a Reply</h3><form action="/wp-comments-post.php"
             method="post" id="commentform">
            <p class="comment-notes">Your email address will not be published. Required fields are marked
             *</p>
            <p class="comment-form-comment"><label for="comment">Comment</label><textarea id="comment"
             name="comment"></textarea></p>
            <p class="form-submit"><input name="submit" type="submit"
             value="Post Comment"></p></form></div></div>""",
            "the comment area #comments holds no comments: 0 comments read",
        ),
    ],
    ids=["disqus", "coral", "commento", "empty-wordpress-area"],
)
def test_comment_markup_without_comments_gets_a_warning(markup: str, warning: str) -> None:
    page = read(STORY + markup)
    assert page.comments == [] and page.warnings == [warning]
    assert "Leave a Reply" not in page.article.text
    assert read(STORY).warnings == []  # a page without comment markup has nothing to warn about
