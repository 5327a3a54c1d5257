"""Search benchmark: 13,000 generated datasets, 200 varied queries over HTTP, p50/p95/max.

    .venv/bin/python bench/search.py [--datasets 13000] [--queries 200] [--client] [--keep]

Starts its own embedded database (a temporary folder, a free port), generates a catalog the
size of data.egov.uz's (multilingual titles, keywords and descriptions, several organizations
and sectors, some passports written in Cyrillic only, a few hidden ones) whose search terms
are made by the portal's own code (`search_index.refresh`), then serves the app under gunicorn
(one worker) and times `GET /api/v1/datasets` and the compat `gettable` for a mix of queries:
Latin, Cyrillic, prefixes, codes, several words, facet filters, sorts, later pages and plain
listings; then searches right after writes. `--client` uses the Flask test client instead of
HTTP. It reports; it does not fail on a missed target.
"""

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.core.text import translit_lat_to_cyr  # noqa: E402
from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DB_NAME = "ochiq_bench_search"
TARGET_P95_MS = 50.0
LANGS = ("uzbText", "uzbKrText", "rusText", "engText")

# (Uzbek Latin, Russian, English); Uzbek Cyrillic is transliterated from the Latin
SUBJECTS = [
    ("kutubxonalar", "библиотеки", "libraries"),
    ("maktablar", "школы", "schools"),
    ("maktabgacha ta'lim muassasalari", "дошкольные образовательные учреждения", "preschools"),
    ("kasalxonalar", "больницы", "hospitals"),
    ("dorixonalar", "аптеки", "pharmacies"),
    ("aholi soni", "численность населения", "population"),
    ("tug'ilganlar soni", "число родившихся", "births"),
    ("o'lim holatlari", "смертность", "deaths"),
    ("nikohlar va ajrimlar", "браки и разводы", "marriages and divorces"),
    ("ishsizlik darajasi", "уровень безработицы", "unemployment rate"),
    ("o'rtacha oylik ish haqi", "средняя заработная плата", "average monthly wages"),
    ("iste'mol narxlari indeksi", "индекс потребительских цен", "consumer price index"),
    ("yalpi ichki mahsulot", "валовой внутренний продукт", "gross domestic product"),
    ("tashqi savdo aylanmasi", "внешнеторговый оборот", "foreign trade turnover"),
    ("eksport hajmi", "объём экспорта", "export volume"),
    ("sanoat mahsulotlari ishlab chiqarish", "производство промышленной продукции", "industry"),
    ("qishloq xo'jaligi ekinlari", "сельскохозяйственные культуры", "agricultural crops"),
    ("paxta hosili", "урожай хлопка", "cotton harvest"),
    ("g'alla hosili", "урожай зерновых", "grain harvest"),
    ("chorva mollari", "поголовье скота", "livestock"),
    ("yo'l-transport hodisalari", "дорожно-транспортные происшествия", "road accidents"),
    ("avtobus yo'nalishlari", "автобусные маршруты", "bus routes"),
    ("temir yo'l yuk tashish", "железнодорожные грузоперевозки", "rail freight"),
    ("aviaqatnovlar jadvali", "расписание авиарейсов", "flight schedule"),
    ("turistlar soni", "количество туристов", "tourist arrivals"),
    ("mehmonxonalar", "гостиницы", "hotels"),
    ("muzeylar", "музеи", "museums"),
    ("teatrlar", "театры", "theatres"),
    ("sport inshootlari", "спортивные сооружения", "sports facilities"),
    ("oliy ta'lim muassasalari", "высшие учебные заведения", "universities"),
    ("talabalar soni", "численность студентов", "students"),
    ("o'qituvchilar", "учителя", "teachers"),
    ("shifokorlar", "врачи", "doctors"),
    ("emlash qamrovi", "охват вакцинацией", "vaccination coverage"),
    ("ichimlik suvi ta'minoti", "обеспечение питьевой водой", "drinking water supply"),
    ("elektr energiyasi iste'moli", "потребление электроэнергии", "electricity consumption"),
    ("tabiiy gaz ta'minoti", "газоснабжение", "natural gas supply"),
    ("atmosfera havosi sifati", "качество атмосферного воздуха", "air quality"),
    ("yog'ingarchilik miqdori", "количество осадков", "precipitation"),
    ("davlat byudjeti ijrosi", "исполнение государственного бюджета", "state budget"),
    ("soliq tushumlari", "налоговые поступления", "tax revenues"),
    ("davlat xaridlari", "государственные закупки", "public procurement"),
    ("kichik biznes subyektlari", "субъекты малого бизнеса", "small businesses"),
    ("bank kreditlari", "банковские кредиты", "bank loans"),
    ("valyuta kurslari", "курсы валют", "exchange rates"),
    ("uy-joy qurilishi", "жилищное строительство", "housing construction"),
    ("ko'p qavatli uylar", "многоквартирные дома", "apartment buildings"),
    ("mahalla fuqarolar yig'inlari", "махаллинские сходы граждан", "mahalla citizens' assemblies"),
    ("nodavlat notijorat tashkilotlari", "некоммерческие организации", "non-profit organizations"),
    ("notariuslar", "нотариусы", "notaries"),
    ("sudlar faoliyati", "деятельность судов", "courts"),
    ("jinoyatchilik holati", "состояние преступности", "crime"),
    ("pensiya oluvchilar", "получатели пенсий", "pensioners"),
    ("nogironligi bo'lgan shaxslar", "лица с инвалидностью", "persons with disabilities"),
    ("ijtimoiy nafaqalar", "социальные пособия", "social benefits"),
    ("internet foydalanuvchilari", "пользователи интернета", "internet users"),
    ("mobil aloqa abonentlari", "абоненты мобильной связи", "mobile subscribers"),
    ("pochta bo'limlari", "почтовые отделения", "post offices"),
    ("bolalar bog'chalari", "детские сады", "kindergartens"),
    ("bolalar kutubxonalari", "детские библиотеки", "children's libraries"),
    ("sport maktablari", "спортивные школы", "sports schools"),
    ("madaniyat va istirohat bog'lari", "парки культуры и отдыха", "parks"),
    ("dehqon bozorlari", "дехканские рынки", "farmers' markets"),
    ("savdo shoxobchalari", "торговые точки", "retail outlets"),
    ("yoqilg'i quyish shoxobchalari", "автозаправочные станции", "filling stations"),
    ("berilgan litsenziyalar", "выданные лицензии", "issued licenses"),
    ("qurilish ruxsatnomalari", "разрешения на строительство", "building permits"),
    ("yer uchastkalari", "земельные участки", "land plots"),
    ("suv omborlari", "водохранилища", "reservoirs"),
    ("o'rmon fondi yerlari", "земли лесного фонда", "forest land"),
]
REGIONS = [
    ("Toshkent shahri", "город Ташкент", "Tashkent city"),
    ("Toshkent viloyati", "Ташкентская область", "Tashkent region"),
    ("Andijon viloyati", "Андижанская область", "Andijan region"),
    ("Farg'ona viloyati", "Ферганская область", "Fergana region"),
    ("Namangan viloyati", "Наманганская область", "Namangan region"),
    ("Samarqand viloyati", "Самаркандская область", "Samarkand region"),
    ("Buxoro viloyati", "Бухарская область", "Bukhara region"),
    ("Navoiy viloyati", "Навоийская область", "Navoi region"),
    ("Qashqadaryo viloyati", "Кашкадарьинская область", "Kashkadarya region"),
    ("Surxondaryo viloyati", "Сурхандарьинская область", "Surkhandarya region"),
    ("Jizzax viloyati", "Джизакская область", "Jizzakh region"),
    ("Sirdaryo viloyati", "Сырдарьинская область", "Syrdarya region"),
    ("Xorazm viloyati", "Хорезмская область", "Khorezm region"),
    ("Qoraqalpog'iston Respublikasi", "Республика Каракалпакстан", "Karakalpakstan"),
    ("O'zbekiston Respublikasi", "Республика Узбекистан", "Uzbekistan"),
]
ASPECTS = [
    ("soni", "количество", "number"),
    ("ro'yxati", "перечень", "list"),
    ("manzillari", "адреса", "addresses"),
    ("dinamikasi", "динамика", "trend"),
    ("to'g'risida ma'lumot", "сведения", "information"),
    ("tumanlar kesimida", "в разрезе районов", "by district"),
    ("choraklik ko'rsatkichlari", "квартальные показатели", "quarterly figures"),
    ("yillik hisobot", "годовой отчёт", "annual report"),
]
ORGANIZATIONS = [
    ("1-002", "Moliya vazirligi", "Министерство финансов", "Ministry of Finance"),
    ("1-003", "Iqtisodiyot vazirligi", "Министерство экономики", "Ministry of Economy"),
    ("3-005", "Xalq ta'limi vazirligi", "Министерство народного образования", "Education"),
    ("3-011", "Oliy ta'lim vazirligi", "Министерство высшего образования", "Higher Education"),
    ("4-020", "Madaniyat vazirligi", "Министерство культуры", "Ministry of Culture"),
    ("4-031", "Ichki ishlar vazirligi", "Министерство внутренних дел", "Internal Affairs"),
    ("5-002", "Transport vazirligi", "Министерство транспорта", "Ministry of Transport"),
    ("5-010", "Qishloq xo'jaligi vazirligi", "Министерство сельского хозяйства", "Agriculture"),
    ("6-001", "Markaziy bank", "Центральный банк", "Central Bank"),
    ("6-014", "Soliq qo'mitasi", "Налоговый комитет", "Tax Committee"),
    ("7-003", "Turizm qo'mitasi", "Комитет по туризму", "Tourism Committee"),
    ("7-021", "Energetika vazirligi", "Министерство энергетики", "Ministry of Energy"),
    ("8-002", "Adliya vazirligi", "Министерство юстиции", "Ministry of Justice"),
    ("8-009", "Ekologiya vazirligi", "Министерство экологии", "Ministry of Ecology"),
    ("9-001", "Toshkent shahar hokimligi", "Хокимият города Ташкента", "Tashkent khokimiyat"),
    ("9-012", "Samarqand viloyati hokimligi", "Хокимият Самаркандской области", "Samarkand"),
]
FILLER = [
    ("ma'lumotlar", "данные", "data"),
    ("ko'rsatkichlar", "показатели", "indicators"),
    ("hisobot davri", "отчётный период", "reporting period"),
    ("manba", "источник", "source"),
    ("rasmiy statistika", "официальная статистика", "official statistics"),
    ("har chorakda yangilanadi", "обновляется ежеквартально", "updated quarterly"),
    ("viloyatlar bo'yicha", "по областям", "by region"),
    ("ochiq ma'lumotlar", "открытые данные", "open data"),
]
FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual", "irregular")
COLUMNS = [
    ("text", "Nomi", "Название", "Name"),
    ("directory", "Hudud", "Регион", "Region"),
    ("string", "Manzil", "Адрес", "Address"),
    ("number", "Soni", "Количество", "Count"),
    ("number", "Qiymati", "Стоимость", "Value"),
    ("date", "Sana", "Дата", "Date"),
    ("string", "Telefon", "Телефон", "Phone"),
    ("location", "Joylashuv", "Расположение", "Location"),
    ("text", "Izoh", "Примечание", "Note"),
    ("number", "Yil", "Год", "Year"),
]


def ml(uz, ru, en, *, cyrillic_only=False):
    """Four languages; a Cyrillic-only passport has Uzbek Cyrillic in the Latin slot too."""
    kr = translit_lat_to_cyr(uz)
    return {"uzbText": kr if cyrillic_only else uz, "uzbKrText": kr, "rusText": ru, "engText": en}


# ---------------------------------------------------------------- the catalog


def organizations():
    """The generated organizations, as the reference loader takes them."""
    return [{"code": code, "name": ml(uz, ru, en)} for code, uz, ru, en in ORGANIZATIONS]


def dataset_docs(count, seed=11):
    """`count` dataset documents as stored, terms included (made by the portal's own code)."""
    from portal.db.models import Dataset, Field, Multilingual, Version, utcnow
    from portal.services.discovery import search_index
    from portal.services.startup import demo

    rnd = random.Random(seed)
    orgs = [o["code"] for o in organizations()] + ["2-001", "4-019"]
    org_names = {o["code"]: o["name"] for o in organizations() + demo()["organizations"]}
    sectors = [s["code"] for s in demo()["sectors"]]
    serials = dict.fromkeys(orgs, 1000)
    now = utcnow()
    docs = []
    for i in range(count):
        subject, region, aspect = (rnd.choice(SUBJECTS), rnd.choice(REGIONS), rnd.choice(ASPECTS))
        year = rnd.randint(2015, 2025)
        cyr = rnd.random() < 0.08
        org = orgs[min(int(rnd.paretovariate(0.9)) - 1, len(orgs) - 1) if i % 3 else i % len(orgs)]
        serials[org] += 1
        title = ml(
            f"{region[0]} bo'yicha {subject[0]} {aspect[0]} ({year})",
            f"{subject[1].capitalize()}: {aspect[1]}, {region[1]}, {year}",
            f"{subject[2].capitalize()}: {aspect[2]}, {region[2]}, {year}",
            cyrillic_only=cyr,
        )
        words = rnd.sample(FILLER, 3)
        description = None
        if rnd.random() < 0.85:
            description = ml(
                f"{subject[0].capitalize()} {aspect[0]}, {region[0]}, {year}-yil. "
                + ", ".join(w[0] for w in words)
                + ". "
                + org_names[org]["uzbText"]
                + ".",
                f"{subject[1].capitalize()} ({aspect[1]}), {region[1]}, {year} год. "
                + ", ".join(w[1] for w in words)
                + ". "
                + org_names[org]["rusText"]
                + ".",
                f"{subject[2].capitalize()} ({aspect[2]}), {region[2]}, {year}. "
                + ", ".join(w[2] for w in words)
                + ". "
                + org_names[org]["engText"]
                + ".",
                cyrillic_only=cyr,
            )
        keywords = list(
            dict.fromkeys(
                [subject[0].split()[0], region[0].split()[0].lower(), str(year)]
                + [rnd.choice(SUBJECTS)[0].split()[-1] for _ in range(rnd.randint(0, 2))]
            )
        )
        roll = rnd.random()
        status = "draft" if roll < 0.03 else "rejected" if roll < 0.04 else "published"
        version = 0 if status == "draft" else rnd.choice((1, 1, 1, 2, 3))
        ratings = rnd.randint(0, 10)
        updated = now - dt.timedelta(minutes=rnd.randint(0, 60 * 24 * 365 * 4))
        fields = [
            Field(
                name=f"{uz}{n}" if n else uz,
                type=kind,
                caption=Multilingual(**ml(uz, ru, en)),
                order=n + 1,
                directory="regions" if kind == "directory" else None,
            )
            for n, (kind, uz, ru, en) in enumerate(rnd.sample(COLUMNS, rnd.randint(4, 10)))
        ]
        field_dicts = [f.to_dict() for f in fields]
        dataset = Dataset(
            code=f"{org}-{serials[org]:04d}",
            serial=serials[org],
            organization=org,
            sector=rnd.choice(sectors),
            title=title,
            description=description,
            update_frequency=rnd.choice(FREQUENCIES),
            keywords=keywords,
            status=status,
            active=rnd.random() > 0.01,
            current_version=version,
            fields=fields,
            versions=[
                Version(
                    number=n,
                    created_at=updated,
                    rows=rnd.randint(1, 5000),
                    source="upload",
                    by="bench",
                    fields=field_dicts,
                    checksum=f"{rnd.getrandbits(256):064x}",
                )
                for n in range(1, version + 1)
            ],
            views=int(rnd.paretovariate(1.2) * 20),
            downloads=int(rnd.paretovariate(1.1) * 5) - 5,
            rating_sum=sum(rnd.randint(1, 5) for _ in range(ratings)),
            rating_count=ratings,
            created_at=updated,
            updated_at=updated,
            data_updated_at=updated if version else None,
        )
        search_index.refresh(dataset, org_names[org])
        docs.append(dataset.to_mongo().to_dict())
    return docs


def populate(uri, count):
    """The reference data, the demo datasets and `count` generated ones; (seconds, codes)."""
    from portal.db import connection
    from portal.services import startup

    connection.connect(uri, DB_NAME)
    startup.prepare(load_demo=True)
    startup.load_reference({"sectors": [], "regions": [], "organizations": organizations()})
    started = time.perf_counter()
    docs = dataset_docs(count)
    made = time.perf_counter() - started
    collection = connection.get_db()["datasets"]
    started = time.perf_counter()
    for start in range(0, len(docs), 500):
        collection.insert_many(docs[start : start + 500])
        print(f"  inserted {min(start + 500, len(docs))}/{len(docs)}", end="\r", flush=True)
    stored = time.perf_counter() - started
    print(f"  generated in {made:.1f} s, inserted in {stored:.1f} s{' ' * 20}")
    public = [d for d in docs if d["current_version"] and d["status"] != "rejected"]
    connection.disconnect()
    return [d["code"] for d in public if d["active"]]


# ---------------------------------------------------------------- the query mix

WORDS_LATIN = [
    "kutubxonalar", "maktablar", "kasalxonalar", "toshkent", "samarqand", "aholi", "paxta",
    "mehmonxonalar", "ishsizlik", "byudjet", "soliq", "turistlar", "bolalar", "muzeylar",
    "hospitals", "population", "libraries", "schools", "wages", "tourism",
]  # fmt: skip
PREFIXES = ["kutub", "mak", "kasal", "tosh", "sam", "aho", "ish", "nav", "to", "ba", "xor"]
CYRILLIC = [
    "кутубхона", "кутубхоналар", "мактаблар", "Тошкент", "Самарқанд", "аҳоли сони",
    "библиотеки", "больницы", "население", "Ташкент", "гостиницы", "бюджет", "туристов",
]  # fmt: skip
MULTI = [
    "bolalar kutubxonalari", "aholi soni", "o'rtacha oylik ish haqi", "paxta hosili 2020",
    "Toshkent shahri maktablar", "children's libraries", "детские библиотеки",
    "iste'mol narxlari", "sog'liqni saqlash", "yo'l-transport hodisalari",
]  # fmt: skip
VARIANTS = ["O‘RTACHA", "o`rtacha", "ortacha", "TOSHKENT", "Ta'lim", "talim", "g‘alla", "galla"]
MISSES = ["xyzzy", "qwertyuiop", "нетничего"]
SORTS = ["relevance", "recent", "downloads", "rating"]


def query_mix(count, codes, seed=5):
    """`count` (label, path, params): searches, codes, facets, sorts, pages and listings."""
    rnd = random.Random(seed)
    orgs = [o["code"] for o in organizations()]
    sectors = ["economy", "education", "health", "culture", "transport", "finance"]
    kinds = [
        ("latin", 30), ("prefix", 25), ("cyrillic", 25), ("multiword", 20), ("variant", 10),
        ("code", 12), ("miss", 5), ("facet", 23), ("listing", 30), ("compat", 20),
    ]  # fmt: skip
    plan = [k for k, n in kinds for _ in range(n)]
    while len(plan) < count:
        plan.append(rnd.choice(plan))
    rnd.shuffle(plan)
    plan = plan[:count]
    out = []
    for kind in plan:
        params = {}
        if kind in ("latin", "prefix", "cyrillic", "multiword", "variant", "miss"):
            pool = {
                "latin": WORDS_LATIN, "prefix": PREFIXES, "cyrillic": CYRILLIC,
                "multiword": MULTI, "variant": VARIANTS, "miss": MISSES,
            }[kind]  # fmt: skip
            params["q"] = rnd.choice(pool)
            if rnd.random() < 0.3:
                params["sort"] = rnd.choice(SORTS)
            if rnd.random() < 0.2:
                params["page"] = rnd.randint(2, 5)
        elif kind == "code":
            params["q"] = rnd.choice(codes) if rnd.random() < 0.85 else "1-002-99999"
        elif kind == "facet":
            if rnd.random() < 0.5:
                params["q"] = rnd.choice(WORDS_LATIN + CYRILLIC)
            facet = rnd.choice(("organization", "sector", "keyword", "update_frequency"))
            params[facet] = {
                "organization": lambda: rnd.choice(orgs),
                "sector": lambda: rnd.choice(sectors),
                "keyword": lambda: rnd.choice(("2020", "2023", "toshkent", "maktablar")),
                "update_frequency": lambda: rnd.choice(("monthly", "annual", "quarterly")),
            }[facet]()
            if rnd.random() < 0.4:
                params["sort"] = rnd.choice(SORTS)
        elif kind == "listing":
            params["sort"] = rnd.choice(SORTS[1:] + ["recent"])
            params["page"] = rnd.choice((1, 1, 1, 2, 3, 10, 50, 200))
            if rnd.random() < 0.3:
                params["page_size"] = rnd.choice((10, 50, 100))
        if kind == "compat":
            text = rnd.choice(WORDS_LATIN + CYRILLIC + [""])
            compat = {"text": text, "limit": 10, "offset": rnd.choice((0, 0, 10, 100))}
            if rnd.random() < 0.3:
                compat["sortType"] = rnd.choice((1, 2, 3))
            if rnd.random() < 0.3:
                compat["orgId"] = rnd.choice(orgs)
            out.append((kind, "/apiClient/main/gettable", compat))
        else:
            out.append((kind, "/api/v1/datasets", params))
    return out


# ---------------------------------------------------------------- running it


class Served:
    """The app under gunicorn (one sync worker) on a free port, over HTTP."""

    def __init__(self, env, log_path):
        import requests

        self.env, self.log_path = env, log_path
        self.base = f"http://127.0.0.1:{free_port()}"
        self.session = requests.Session()
        self.proc = None

    def start(self):
        import requests

        bind = self.base.split("://", 1)[1]
        cmd = [sys.executable, "-m", "gunicorn", "wsgi:app", "--workers", "1", "--bind", bind]
        cmd += ["--timeout", "300", "--log-level", "warning"]
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT, stdout=log, stderr=log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("the app did not start; see " + str(self.log_path))

    def get(self, path, params):
        resp = self.session.get(self.base + path, params=params, timeout=300)
        return resp.status_code, resp.json()

    def worker_rss_mb(self):
        try:
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                worker = int(f.read().split()[0])
            with open(f"/proc/{worker}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except (OSError, IndexError, ValueError):
            pass
        return None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


class InProcess:
    """The app through the Flask test client, in this process."""

    def __init__(self, env):
        from portal.app import create_app

        os.environ.update(env)
        self.client = create_app().test_client()

    def start(self):
        pass

    def get(self, path, params):
        resp = self.client.get(path, query_string=params)
        return resp.status_code, resp.get_json()

    def worker_rss_mb(self):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return None

    def stop(self):
        pass


def timed(app, path, params):
    started = time.perf_counter()
    status, body = app.get(path, params)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} {params}: {status} {body}")
    return elapsed, body


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def figures(values):
    return (
        f"p50 {statistics.median(values):6.1f} ms   p95 {percentile(values, 95):6.1f} ms   "
        f"max {max(values):6.1f} ms"
    )


def touch(uri, codes, rnd):
    """A passport-like write: one dataset's `updated_at` and downloads change in the database."""
    from pymongo import MongoClient

    from portal.db.models import utcnow

    client = MongoClient(uri)
    try:
        client[DB_NAME]["datasets"].update_one(
            {"code": rnd.choice(codes)},
            {"$set": {"updated_at": utcnow()}, "$inc": {"downloads": rnd.randint(1, 50)}},
        )
    finally:
        client.close()


def check(app):
    """A few answers the mix relies on: both scripts agree, codes are exact."""
    _, latin = timed(app, "/api/v1/datasets", {"q": "kutubxonalar"})
    _, cyrillic = timed(app, "/api/v1/datasets", {"q": "кутубхоналар"})
    assert latin["total"] == cyrillic["total"] > 0, (latin["total"], cyrillic["total"])
    assert [d["code"] for d in latin["items"]] == [d["code"] for d in cyrillic["items"]]
    code = latin["items"][0]["code"]
    _, exact = timed(app, "/api/v1/datasets", {"q": code})
    assert exact["items"][0]["code"] == code
    return latin["total"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=13000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--client", action="store_true", help="Flask test client, no HTTP")
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ochiq-bench-search-"))
    server = EmbeddedMongo(port=free_port(), path=str(folder / "db"), cache="512M")
    app = None
    try:
        print(f"embedded database on port {server.port} ({folder})")
        server.start()
        print(f"generating {args.datasets} datasets")
        codes = populate(server.uri, args.datasets)
        env = dict(os.environ)
        env.update(
            {
                "PORTAL_MONGO_URI": server.uri,
                "PORTAL_MONGO_DB": DB_NAME,
                "PORTAL_LOAD_DEMO": "false",
                "PORTAL_SECRET_KEY": "bench-secret-" + "x" * 32,
            }
        )
        app = InProcess(env) if args.client else Served(env, folder / "app.log")
        app.start()
        cold, body = timed(app, "/api/v1/datasets", {})
        print(
            f"first request (loads the search records of {body['total']} public datasets): "
            f"{cold:.0f} ms"
        )
        print(f"check: 'kutubxonalar' and 'кутубхоналар' both find {check(app)} datasets")
        mix = query_mix(args.queries, codes)
        times, by_kind, slowest = [], {}, []
        for kind, path, params in mix:
            elapsed, _ = timed(app, path, params)
            times.append(elapsed)
            by_kind.setdefault(kind, []).append(elapsed)
            slowest.append((elapsed, path, params))
        print(f"\n{len(times)} queries, {'test client' if args.client else 'HTTP (gunicorn)'}:")
        print(f"  all        {figures(times)}")
        for kind, values in by_kind.items():
            print(f"  {kind:10s} {figures(values)}   ({len(values)})")
        for elapsed, path, params in sorted(slowest, key=lambda s: s[0])[-3:]:
            print(f"  slow: {elapsed:6.1f} ms  {path} {params}")
        rnd = random.Random(3)
        after = []
        for i in range(20):
            touch(server.uri, codes, rnd)
            kind, path, params = mix[i]
            after.append(timed(app, path, params)[0])
        print(f"  after a write (20 write/search pairs): {figures(after)}")
        rss = app.worker_rss_mb()
        if rss:
            print(f"  app worker memory: {rss:.0f} MB")
        p95 = percentile(times, 95)
        verdict = "met" if p95 <= TARGET_P95_MS else "missed"
        print(f"\ntarget p95 <= {TARGET_P95_MS:.0f} ms: {verdict} ({p95:.1f} ms)")
    finally:
        if app:
            app.stop()
        server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
