"""The URLs X shortens to t.co, found as twitter-text's extractUrlsWithIndices does.

URL expressions and TLDs follow twitter/twitter-text at 30e2430.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["extract_urls", "url_spans", "utf16_len"]


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each URL twitter-text would shorten to t.co, as str indices."""
    return [(start, end) for start, end, _ in extract_urls(text)]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Java and twitter-text count it."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63
_PUNCT = re.escape("!'#%&()*+,\\-./:;<=>?@[]^_{|}~$")
_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_INVALID_CHARS = "\ufffe\ufeff\uffff"
_DIRECTIONAL = "\u202a-\u202e\u061c\u200e\u200f\u2066-\u2069"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b"
    "\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"
# A dot and a letter: where a domain's TLD starts. Searching for it skips ahead at C
# speed; the chunk around it is then found by the nearest spaces on either side.
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
_SPACE = re.compile(f"[{_SPACES}]")


_Trie = dict[str, "_Trie"]


def _tld_pattern(names: str) -> str:
    """The TLDs as a trie, so a domain costs a few steps, not one per TLD; a longer
    TLD is tried before its prefix ("community" before "com"), as in twitter-text."""
    trie: _Trie = {}
    for name in names.split():
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}
    return f"(?:{_trie_source(trie)}(?=[^0-9a-zA-Z@+-]|\\Z))"


def _trie_source(node: _Trie) -> str:
    branches = [
        re.escape(char) + _trie_source(child) for char, child in node.items() if char
    ]
    if not branches:
        return ""
    if len(branches) == 1 and "" not in node:
        return branches[0]
    return f"(?:{'|'.join(branches)})" + ("?" if "" in node else "")


@lru_cache(maxsize=1)
def _url_patterns() -> dict[str, re.Pattern[str]]:
    """twitter-text's URL expressions, compiled on first use (they take ~30 ms)."""
    char = f"[^{_PUNCT}{_SPACES}{_INVALID_CHARS}]"
    subdomain = f"(?:(?:{char}(?:[_-]|{char})*)?{char}\\.)"
    name = f"(?:(?:{char}(?:-|{char})*)?{char}\\.)"
    gtld, cctld = _tld_pattern(_GTLDS), _tld_pattern(_CCTLDS)
    punycode = r"(?:xn--[\-0-9a-z]+)"
    domain = f"(?:{subdomain}*{name}(?:{gtld}|{cctld}|{punycode}))"
    path_char = f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]"
    parens = f"\\((?:{path_char}+|(?:{path_char}*\\({path_char}+\\){path_char}*))\\)"
    path_end = f"(?:[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|(?:{parens}))"
    path = f"(?:(?:{path_char}*(?:{parens}{path_char}*)*{path_end})|(?:@{path_char}+/))"
    query = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
    query_end = r"[a-z0-9\-_&=#/]"
    preceding = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID_CHARS}]|[{_DIRECTIONAL}]|^)"
    sources = {
        "extract": (
            f"({preceding})((https?://)?({domain})(?::([0-9]+))?"
            f"(/{path}*)?(\\?{query}*{query_end})?)"
        ),
        "ascii_domain": (
            f"(?:(?:[\\-a-z0-9{_LATIN_ACCENTS}]+)\\.)+(?:{gtld}|{cctld}|{punycode})"
        ),
        "invalid_short": f"{name}{cctld}",
        "special_short": f"{name}(?:(?:co|tv)(?=[^0-9a-zA-Z@]|\\Z))",
        "tco": f"https?://t\\.co/([a-z0-9]+)(?:\\?{query}*{query_end})?",
    }
    return {key: re.compile(source, re.IGNORECASE) for key, source in sources.items()}


def extract_urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, url) as parseTweet sees them: `end - start` is the URL's length."""
    if "." not in text:
        return []
    found: list[tuple[int, int, str]] = []
    backwards = text[::-1]  # the space before a dot is the first one found backwards
    end = 0
    for dot in _DOT_LETTER.finditer(text):
        if dot.start() < end:
            continue  # in the chunk just scanned
        # No URL holds a space, and every domain ends in "." and a TLD, which starts
        # with a letter: scanning only the chunks between spaces that hold such a dot
        # (with the space before, which may precede a URL) finds the same URLs.
        space = _SPACE.search(backwards, len(text) - dot.start())
        start = len(text) - space.start() if space else 0
        space = _SPACE.search(text, dot.end())
        end = space.start() if space else len(text)
        pos = max(start - 1, 0)
        found += [
            (pos + first, pos + last, url)
            for first, last, url in _urls_in_chunk(text[pos:end])
        ]
    return found


@lru_cache(maxsize=4096)
def _urls_in_chunk(chunk: str) -> tuple[tuple[int, int, str], ...]:
    """The URLs of one chunk (and the space before it), remembered: a post's link
    is counted again in every trial of fitting it."""
    return tuple(_urls_in(chunk, 0, len(chunk)))


def _urls_in(text: str, pos: int, endpos: int) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for match in _url_patterns()["extract"].finditer(text, pos, endpos):
        before, url, protocol, domain, _, path = match.group(1, 2, 3, 4, 5, 6)
        end = match.end()
        start = end - len(url)
        if not _domain_fits_dns(domain):
            continue
        if len(protocol or "https://") + utf16_len(url) > _MAX_URL_LENGTH:
            continue
        if protocol:
            tco = _url_patterns()["tco"].match(url)
            if tco:
                if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco.group(0)
            found.append((start, start + len(url), url))
            continue
        if before and before[-1] in "-_./":
            continue
        found += _ascii_domains(url, domain, start, bool(path))
    return found


def _ascii_domains(
    url: str, domain: str, start: int, has_path: bool
) -> list[tuple[int, int, str]]:
    """A URL without protocol counts by its ASCII domains (the last takes the path)."""
    found: list[tuple[int, int, str]] = []
    last: tuple[int, str] | None = None
    for match in _url_patterns()["ascii_domain"].finditer(domain):
        ascii_domain = match.group(0)
        last = (start + match.start(), ascii_domain)
        if (
            has_path
            or _url_patterns()["special_short"].fullmatch(ascii_domain)
            or not _url_patterns()["invalid_short"].fullmatch(ascii_domain)
        ):
            found.append((last[0], last[0] + len(ascii_domain), ascii_domain))
    if last is not None and has_path:
        full = url.replace(domain, last[1], 1)
        found[-1] = (last[0], last[0] + len(full), full)
    return found


def _domain_fits_dns(domain: str) -> bool:
    """twitter-text's idna.toAscii: every label, punycode-encoded, is 1 to 63 long."""
    if domain.startswith("xn--") and not _url_patterns()["ascii_domain"].search(domain):
        return False
    for label in re.split("[.\u3002\uff0e\uff61]", domain):
        encoded = label
        if any(char > "\x7e" for char in label):
            encoded = "xn--" + label.encode("punycode").decode("ascii")
        if not 1 <= len(encoded) <= _MAX_LABEL_LENGTH:
            return False
    return True


# --- TLDs as twitter-text lists them (validGTLD.js, validCCTLD.js; Apache-2.0) ---

_GTLDS = """
    aaa aarp abarth abb abbott abbvie abc able abogado abudhabi academy accenture
    accountant accountants aco active actor adac ads adult aeg aero aetna
    afamilycompany afl africa agakhan agency aig aigo airbus airforce airtel akdn
    alfaromeo alibaba alipay allfinanz allstate ally alsace alstom americanexpress
    americanfamily amex amfam amica amsterdam analytics android anquan anz aol
    apartments app apple aquarelle arab aramco archi army arpa art arte asda asia
    associates athleta attorney auction audi audible audio auspost author auto autos
    avianca aws axa azure baby baidu banamex bananarepublic band bank bar barcelona
    barclaycard barclays barefoot bargains baseball basketball bauhaus bayern bbc
    bbt bbva bcg bcn beats beauty beer bentley berlin best bestbuy bet bharti bible
    bid bike bing bingo bio biz black blackfriday blanco blockbuster blog bloomberg
    blue bms bmw bnl bnpparibas boats boehringer bofa bom bond boo book booking
    boots bosch bostik boston bot boutique box bradesco bridgestone broadway broker
    brother brussels budapest bugatti build builders business buy buzz bzh cab cafe
    cal call calvinklein cam camera camp cancerresearch canon capetown capital
    capitalone car caravan cards care career careers cars cartier casa case caseih
    cash casino cat catering catholic cba cbn cbre cbs ceb center ceo cern cfa cfd
    chanel channel charity chase chat cheap chintai chloe christmas chrome chrysler
    church cipriani circle cisco citadel citi citic city cityeats claims cleaning
    click clinic clinique clothing cloud club clubmed coach codes coffee college
    cologne com comcast commbank community company compare computer comsec condos
    construction consulting contact contractors cooking cookingchannel cool coop
    corsica country coupon coupons courses cpa credit creditcard creditunion cricket
    crown crs cruise cruises csc cuisinella cymru cyou dabur dad dance data date
    dating datsun day dclk dds deal dealer deals degree delivery dell deloitte delta
    democrat dental dentist desi design dev dhl diamonds diet digital direct
    directory discount discover dish diy dnp docs doctor dodge dog doha domains
    doosan dot download drive dtv dubai duck dunlop duns dupont durban dvag dvr
    earth eat eco edeka edu education email emerck energy engineer engineering
    enterprises epost epson equipment ericsson erni esq estate esurance etisalat
    eurovision eus events everbank exchange expert exposed express extraspace fage
    fail fairwinds faith family fan fans farm farmers fashion fast fedex feedback
    ferrari ferrero fiat fidelity fido film final finance financial fire firestone
    firmdale fish fishing fit fitness flickr flights flir florist flowers flsmidth
    fly foo food foodnetwork football ford forex forsale forum foundation fox free
    fresenius frl frogans frontdoor frontier ftr fujitsu fujixerox fun fund
    furniture futbol fyi gal gallery gallo gallup game games gap garden gay gbiz gdn
    gea gent genting george ggee gift gifts gives giving glade glass gle global
    globo gmail gmbh gmo gmx godaddy gold goldpoint golf goo goodhands goodyear goog
    google gop got gov grainger graphics gratis green gripe grocery group guardian
    gucci guge guide guitars guru hair hamburg hangout haus hbo hdfc hdfcbank health
    healthcare help helsinki here hermes hgtv hiphop hisamitsu hitachi hiv hkt
    hockey holdings holiday homedepot homegoods homes homesense honda honeywell
    horse hospital host hosting hot hoteles hotels hotmail house how hsbc htc hughes
    hyatt hyundai ibm icbc ice icu ieee ifm iinet ikano imamat imdb immo immobilien
    inc industries infiniti info ing ink institute insurance insure int intel
    international intuit investments ipiranga irish iselect ismaili ist istanbul
    itau itv iveco iwc jaguar java jcb jcp jeep jetzt jewelry jio jlc jll jmp jnj
    jobs joburg jot joy jpmorgan jprs juegos juniper kaufen kddi kerryhotels
    kerrylogistics kerryproperties kfh kia kim kinder kindle kitchen kiwi koeln
    komatsu kosher kpmg kpn krd kred kuokgroup kyoto lacaixa ladbrokes lamborghini
    lamer lancaster lancia lancome land landrover lanxess lasalle lat latino latrobe
    law lawyer lds lease leclerc lefrak legal lego lexus lgbt liaison lidl life
    lifeinsurance lifestyle lighting like lilly limited limo lincoln linde link
    lipsy live living lixil llc llp loan loans locker locus loft lol london lotte
    lotto love lpl lplfinancial ltd ltda lundbeck lupin luxe luxury macys madrid
    maif maison makeup man management mango map market marketing markets marriott
    marshalls maserati mattel mba mcd mcdonalds mckinsey med media meet melbourne
    meme memorial men menu meo merckmsd metlife miami microsoft mil mini mint mit
    mitsubishi mlb mls mma mobi mobile mobily moda moe moi mom monash money monster
    montblanc mopar mormon mortgage moscow moto motorcycles mov movie movistar msd
    mtn mtpc mtr museum mutual mutuelle nab nadex nagoya name nationwide natura navy
    nba nec net netbank netflix network neustar new newholland news next nextdirect
    nexus nfl ngo nhk nico nike nikon ninja nissan nissay nokia northwesternmutual
    norton now nowruz nowtv nra nrw ntt nyc obi observer off office okinawa olayan
    olayangroup oldnavy ollo omega one ong onion onl online onyourside ooo open
    oracle orange org organic orientexpress origins osaka otsuka ott ovh page
    pamperedchef panasonic panerai paris pars partners parts party passagens pay
    pccw pet pfizer pharmacy phd philips phone photo photography photos physio
    piaget pics pictet pictures pid pin ping pink pioneer pizza place play
    playstation plumbing plus pnc pohl poker politie porn post pramerica praxi press
    prime pro prod productions prof progressive promo properties property protection
    pru prudential pub pwc qpon quebec quest qvc racing radio raid read realestate
    realtor realty recipes red redstone redumbrella rehab reise reisen reit reliance
    ren rent rentals repair report republican rest restaurant review reviews rexroth
    rich richardli ricoh rightathome ril rio rip rmit rocher rocks rodeo rogers room
    rsvp rugby ruhr run rwe ryukyu saarland safe safety sakura sale salon samsclub
    samsung sandvik sandvikcoromant sanofi sap sapo sarl sas save saxo sbi sbs sca
    scb schaeffler schmidt scholarships school schule schwarz science scjohnson scor
    scot search seat secure security seek select sener services ses seven sew sex
    sexy sfr shangrila sharp shaw shell shia shiksha shoes shop shopping shouji show
    showtime shriram silk sina singles site ski skin sky skype sling smart smile
    sncf soccer social softbank software sohu solar solutions song sony soy space
    spiegel sport spot spreadbetting srl srt stada staples star starhub statebank
    statefarm statoil stc stcgroup stockholm storage store stream studio study style
    sucks supplies supply support surf surgery suzuki swatch swiftcover swiss sydney
    symantec systems tab taipei talk taobao target tatamotors tatar tattoo tax taxi
    tci tdk team tech technology tel telecity telefonica temasek tennis teva thd
    theater theatre tiaa tickets tienda tiffany tips tires tirol tjmaxx tjx tkmaxx
    tmall today tokyo tools top toray toshiba total tours town toyota toys trade
    trading training travel travelchannel travelers travelersinsurance trust trv
    tube tui tunes tushu tvs ubank ubs uconnect unicom university uno uol ups
    vacations vana vanguard vegas ventures verisign vermögensberater
    vermögensberatung versicherung vet viajes video vig viking villas vin vip virgin
    visa vision vista vistaprint viva vivo vlaanderen vodka volkswagen volvo vote
    voting voto voyage vuelos wales walmart walter wang wanggou warman watch watches
    weather weatherchannel webcam weber website wed wedding weibo weir whoswho wien
    wiki williamhill win windows wine winners wme wolterskluwer woodside work works
    world wow wtc wtf xbox xerox xfinity xihuan xin xperia xxx xyz yachts yahoo
    yamaxun yandex yodobashi yoga yokohama you youtube yun zappos zara zero zip
    zippo zone zuerich дети католик ком москва онлайн орг рус сайт קום ابوظبي
    اتصالات ارامكو العليان بازار بيتك شبكة عرب كاثوليك كوم موبايلي موقع همراه कॉम
    नेट संगठन คอม みんな クラウド グーグル コム ストア セール ファッション ポイント
    世界 中信 中文网 企业 佛山 信息 健康 八卦 公司 公益 商城 商店 商标 嘉里
    嘉里大酒店 在线 大众汽车 大拿 天主教 娱乐 家電 工行 广东 微博 慈善 我爱你 手机
    手表 招聘 政务 政府 新闻 时尚 書籍 机构 淡马锡 游戏 点看 珠宝 移动 组织机构 网址
    网店 网站 网络 联通 诺基亚 谷歌 购物 通販 集团 電訊盈科 飞利浦 食品 餐厅
    香格里拉 닷넷 닷컴 삼성
"""
_CCTLDS = """
    ac ad ae af ag ai al am an ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj
    bl bm bn bo bq br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv
    cw cx cy cz de dj dk dm do dz ec ee eg eh er es et eu fi fj fk fm fo fr ga gb gd
    ge gf gg gh gi gl gm gn gp gq gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in
    io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr ls
    lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz
    na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pn pr ps pt pw py
    qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn so sr ss st su sv sx sy
    sz tc td tf tg th tj tk tl tm tn to tp tr tt tv tw tz ua ug uk um us uy uz va vc
    ve vg vi vn vu wf ws ye yt za zm zw ελ ευ бг бел ею мкд мон рф срб укр қаз հայ
    الاردن البحرين الجزائر السعودية المغرب امارات ایران بارت بھارت تونس سودان سورية
    عراق عمان فلسطين قطر مصر مليسيا موريتانيا پاکستان ڀارت भारत भारतम् भारोत বাংলা
    ভারত ভাৰত ਭਾਰਤ ભારત ଭାରତ இந்தியா இலங்கை சிங்கப்பூர் భారత్ ಭಾರತ ഭാരതം ලංකා ไทย
    ລາວ გე 中国 中國 台湾 台灣 新加坡 澳門 香港 한국
"""
