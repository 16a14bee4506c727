"""Date, time and duration functions (translate/dates.py), in the SQL djongo's DatabaseOperations writes."""
import datetime

from djongo.sql2mongo.commands import Aggregate

from .base import TranslationTestCase

WALL = "%Y-%m-%dT%H:%M:%S.%LZ"


def project(sql_item, expected):
    """Return the SQL selecting ``sql_item`` from "t" and the Aggregate it becomes."""
    return (
        f'SELECT {sql_item} AS "v" FROM "t"',
        Aggregate("t", [{"$project": {"_id": 0, "c0": expected}}], ("c0",), ("v",)),
    )


def in_zone(expression, zone):
    return {"$toDate": {"$dateToString": {"format": WALL, "date": expression, "timezone": zone}}}


def iso_weekday(date):
    days = {"$floor": {"$divide": [{"$toLong": date}, 86_400_000]}}
    return {"$add": [{"$mod": [{"$add": [{"$mod": [{"$add": [days, 3]}, 7]}, 7]}, 7]}, 1]}


def if_present(value, expression):
    return {"$cond": [{"$ne": [{"$ifNull": [value, None]}, None]}, expression, None]}


class ExtractTests(TranslationTestCase):

    def assertProjects(self, sql_item, expected):
        sql, command = project(sql_item, expected)
        self.assertTranslates(sql, [command])

    def test_parts_without_a_time_zone(self):
        # Kitchen.objects.annotate(v=ExtractYear("born")) and friends.
        for kind, operator in [
            ("year", "$year"), ("month", "$month"), ("day", "$dayOfMonth"),
            ("hour", "$hour"), ("minute", "$minute"), ("second", "$second"),
        ]:
            with self.subTest(kind):
                self.assertProjects(f"EXTRACT('{kind}', \"t\".\"d\", NULL)", {operator: "$d"})

    def test_parts_in_a_time_zone_read_the_wall_time(self):
        # With USE_TZ and a current time zone other than UTC.
        self.assertProjects(
            "EXTRACT('hour', \"t\".\"d\", 'Europe/Paris')",
            {"$hour": in_zone("$d", "Europe/Paris")},
        )

    def test_week_day_counts_from_sunday_and_iso_week_day_from_monday(self):
        self.assertProjects(
            "EXTRACT('iso_week_day', \"t\".\"d\", NULL)", {"$toInt": iso_weekday("$d")},
        )
        self.assertProjects(
            "EXTRACT('week_day', \"t\".\"d\", NULL)",
            {"$toInt": {"$add": [{"$mod": [iso_weekday("$d"), 7]}, 1]}},
        )

    def test_iso_week_and_year_come_from_the_weeks_thursday(self):
        thursday = {"$add": ["$d", {"$multiply": [{"$subtract": [4, iso_weekday("$d")]}, 86_400_000]}]}
        self.assertProjects("EXTRACT('iso_year', \"t\".\"d\", NULL)", {"$year": thursday})
        self.assertProjects(
            "EXTRACT('week', \"t\".\"d\", NULL)",
            {"$toInt": {"$add": [
                {"$floor": {"$divide": [{"$subtract": [{"$dayOfYear": thursday}, 1]}, 7]}}, 1,
            ]}},
        )

    def test_quarter(self):
        self.assertProjects(
            "EXTRACT('quarter', \"t\".\"d\", NULL)",
            {"$toInt": {"$ceil": {"$divide": [{"$month": "$d"}, 3]}}},
        )

    def test_time_parts_read_the_time_string(self):
        # TimeField values are stored as "HH:MM:SS.ffffff".
        for kind, start in [("hour", 0), ("minute", 3), ("second", 6)]:
            with self.subTest(kind):
                self.assertProjects(
                    f"TIME_EXTRACT('{kind}', \"t\".\"a\")",
                    if_present("$a", {"$toInt": {"$substrBytes": ["$a", start, 2]}}),
                )

    def test_extract_in_a_condition(self):
        # Kitchen.objects.filter(seen__month=6)
        self.assertBinds(
            'SELECT "t"."id" FROM "t" WHERE EXTRACT(\'month\', "t"."d", NULL) = %s',
            [6],
            {"$expr": {"$and": [
                {"$eq": [{"$month": "$d"}, {"$literal": 6}]},
                {"$ne": [{"$ifNull": [{"$month": "$d"}, None]}, None]},
                {"$ne": [{"$ifNull": [{"$literal": 6}, None]}, None]},
            ]}},
            part="filter",
        )

    def test_refused_shapes(self):
        self.assertUnsupported('SELECT EXTRACT(\'fortnight\', "t"."d", NULL) FROM "t"', "EXTRACT of 'fortnight'")
        self.assertUnsupported('SELECT EXTRACT(\'year\', "t"."d") FROM "t"', "EXTRACT other than")
        self.assertUnsupported('SELECT EXTRACT("t"."k", "t"."d", NULL) FROM "t"', "EXTRACT() with a computed kind")
        self.assertUnsupported('SELECT TIME_EXTRACT(\'year\', "t"."a") FROM "t"', "TIME_EXTRACT of 'year'")


class TruncTests(TranslationTestCase):

    def assertProjects(self, sql_item, expected):
        sql, command = project(sql_item, expected)
        self.assertTranslates(sql, [command])

    def test_kinds_become_dates_read_back_from_a_truncated_string(self):
        # $dateFromParts would be plainer; mongo-java-server lacks it.
        self.assertProjects(
            "DATE_TRUNC('month', \"t\".\"d\", NULL)",
            {"$toDate": {"$dateToString": {"format": "%Y-%m-01T00:00:00Z", "date": "$d"}}},
        )
        self.assertProjects(
            "DATE_TRUNC('hour', \"t\".\"d\", 'Asia/Tokyo')",
            {"$toDate": {"$dateToString": {"format": "%Y-%m-%dT%H:00:00Z", "date": "$d", "timezone": "Asia/Tokyo"}}},
        )

    def test_week_goes_back_to_monday(self):
        day = {"$toDate": {"$dateToString": {"format": "%Y-%m-%dT00:00:00Z", "date": "$d"}}}
        self.assertProjects(
            "DATE_TRUNC('week', \"t\".\"d\", NULL)",
            {"$subtract": [day, {"$multiply": [{"$subtract": [iso_weekday(day), 1]}, 86_400_000]}]},
        )

    def test_quarter_picks_the_quarters_first_month(self):
        months = ["01", "01", "01", "04", "04", "04", "07", "07", "07", "10", "10", "10"]
        self.assertProjects(
            "DATE_TRUNC('quarter', \"t\".\"d\", '+05:30')",
            {"$toDate": {"$concat": [
                {"$dateToString": {"format": "%Y-", "date": "$d", "timezone": "+05:30"}},
                {"$arrayElemAt": [{"$literal": months}, {"$subtract": [{"$month": in_zone("$d", "+05:30")}, 1]}]},
                "-01T00:00:00Z",
            ]}},
        )

    def test_date_cast_compares_with_a_date_parameter(self):
        # Kitchen.objects.filter(seen__date=date(2024, 2, 29)): the date is bound as midnight UTC.
        sql = 'SELECT "t"."id" FROM "t" WHERE DATE_TRUNC(\'day\', "t"."d", NULL) = %s'
        day = {"$toDate": {"$dateToString": {"format": "%Y-%m-%dT00:00:00Z", "date": "$d"}}}
        self.assertBinds(sql, [datetime.date(2024, 2, 29)], {"$expr": {"$and": [
            {"$eq": [day, {"$literal": datetime.datetime(2024, 2, 29)}]},
            {"$ne": [{"$ifNull": [day, None]}, None]},
            {"$ne": [{"$ifNull": [{"$literal": datetime.datetime(2024, 2, 29)}, None]}, None]},
        ]}}, part="filter")

    def test_time_of_a_date_or_of_a_time_string(self):
        # TruncTime("seen") and Trunc("alarm", "minute"): the input's type is only known at run time.
        self.assertProjects(
            "TIME_TRUNC('minute', \"t\".\"x\", NULL)",
            {"$cond": [
                {"$gt": ["$x", True]},
                {"$dateToString": {"format": "%H:%M:00.000000", "date": "$x"}},
                if_present("$x", {"$concat": [{"$substrBytes": ["$x", 0, 5]}, ":00.000000"]}),
            ]},
        )
        self.assertProjects(
            "TIME_TRUNC('microsecond', \"t\".\"x\", 'Europe/Paris')",
            {"$cond": [
                {"$gt": ["$x", True]},
                {"$dateToString": {"format": "%H:%M:%S.%L000", "date": "$x", "timezone": "Europe/Paris"}},
                if_present("$x", {"$concat": [{"$substrBytes": ["$x", 0, 15]}, ""]}),
            ]},
        )

    def test_refused_shapes(self):
        self.assertUnsupported('SELECT DATE_TRUNC(\'decade\', "t"."d", NULL) FROM "t"', "DATE_TRUNC of 'decade'")
        self.assertUnsupported('SELECT DATE_TRUNC(\'day\', "t"."d", "t"."z") FROM "t"', "computed time zone")
        self.assertUnsupported('SELECT TIME_TRUNC(\'day\', "t"."d", NULL) FROM "t"', "TIME_TRUNC of 'day'")


class NowTests(TranslationTestCase):

    def test_current_timestamp_is_the_now_variable(self):
        sql, command = project("CURRENT_TIMESTAMP", "$$NOW")
        self.assertTranslates(sql, [command])

    def test_current_date_and_time(self):
        day = {"$toDate": {"$dateToString": {"format": "%Y-%m-%dT00:00:00Z", "date": "$$NOW"}}}
        self.assertEqual(self.command('SELECT CURRENT_DATE AS "v" FROM "t"').pipeline[0]["$project"]["c0"], day)
        time = self.command('SELECT CURRENT_TIME AS "v" FROM "t"').pipeline[0]["$project"]["c0"]
        self.assertEqual(time["$cond"][1], {"$dateToString": {"format": "%H:%M:%S.%L000", "date": "$$NOW"}})

    def test_now_in_a_condition(self):
        # Kitchen.objects.filter(seen__lt=Now())
        self.assertBinds('SELECT "t"."id" FROM "t" WHERE "t"."d" < CURRENT_TIMESTAMP', [], {"$expr": {"$and": [
            {"$lt": ["$d", "$$NOW"]},
            {"$ne": [{"$ifNull": ["$d", None]}, None]},
            {"$ne": [{"$ifNull": ["$$NOW", None]}, None]},
        ]}}, part="filter")


class DurationTests(TranslationTestCase):

    def item(self, sql_item):
        return self.command(f'SELECT {sql_item} AS "v" FROM "t"').pipeline[0]["$project"]["c0"]

    def test_datetime_plus_duration_moves_by_milliseconds(self):
        # F("seen") + F("span"); the duration is in microseconds.
        shift = self.item('DURATION_ARITHMETIC(\'+\', "t"."d", DURATION("t"."span"))')
        self.assertEqual(shift["$cond"][0], {"$gt": ["$d", True]})
        self.assertEqual(shift["$cond"][1], {"$add": ["$d", {"$floor": {"$divide": ["$span", 1000]}}]})

    def test_duration_first_and_subtraction(self):
        added = self.item('DURATION_ARITHMETIC(\'+\', DURATION(%s), "t"."d")')
        self.assertEqual(added["$cond"][1]["$add"][0], "$d")
        subtracted = self.item('DURATION_ARITHMETIC(\'-\', "t"."d", DURATION(%s))')
        self.assertEqual(subtracted["$cond"][1]["$subtract"][0], "$d")

    def test_time_plus_duration_wraps_around_midnight(self):
        shift = self.item('DURATION_ARITHMETIC(\'+\', "t"."a", DURATION("t"."span"))')
        on_time = shift["$cond"][2]
        self.assertEqual(on_time["$cond"][0], {"$ne": [{"$ifNull": ["$a", None]}, None]})
        self.assertIn("$concat", on_time["$cond"][1])

    def test_duration_times_a_number_is_plain_arithmetic(self):
        self.assertEqual(self.item('(DURATION("t"."span") * 2)'), {"$multiply": ["$span", {"$literal": 2}]})

    def test_datetime_subtraction_in_microseconds(self):
        # F("seen") - F("seen"): $subtract of two dates gives milliseconds.
        self.assertEqual(
            self.item('(("t"."d" - "t"."e") * 1000)'),
            {"$multiply": [{"$subtract": ["$d", "$e"]}, {"$literal": 1000}]},
        )

    def test_time_subtraction_in_microseconds(self):
        units = [(0, 2, 3_600_000_000), (3, 2, 60_000_000), (6, 2, 1_000_000), (9, 6, 1)]

        def microseconds(value):
            return if_present(value, {"$add": [
                {"$multiply": [{"$toInt": {"$substrBytes": [value, start, length]}}, unit]}
                for start, length, unit in units
            ]})

        self.assertEqual(
            self.item('(TIME_TO_MICROSECONDS("t"."a") - TIME_TO_MICROSECONDS("t"."b"))'),
            {"$subtract": [microseconds("$a"), microseconds("$b")]},
        )

    def test_refused_shapes(self):
        self.assertUnsupported(
            'SELECT DURATION_ARITHMETIC(\'-\', DURATION("t"."span"), "t"."d") FROM "t"',
            "DURATION_ARITHMETIC other than temporal - DURATION(...)",
        )
        self.assertUnsupported(
            'SELECT DURATION_ARITHMETIC(\'*\', "t"."d", DURATION("t"."span")) FROM "t"',
            "DURATION_ARITHMETIC other than",
        )


class DateTextTests(TranslationTestCase):
    """DATETIME_TEXT and DATE_TEXT: how text lookups on dates read them (DatabaseOperations.lookup_cast)."""

    def test_as_values(self):
        sql, command = project('DATETIME_TEXT("t"."seen")', {
            "$dateToString": {"date": "$seen", "format": "%Y-%m-%d %H:%M:%S"},
        })
        self.assertTranslates(sql, [command])
        sql, command = project('DATE_TEXT("t"."born")', {"$dateToString": {"date": "$born", "format": "%Y-%m-%d"}})
        self.assertTranslates(sql, [command])

    def test_in_a_text_lookup(self):
        # Kitchen.objects.filter(born__startswith="2005-07"): LIKE on the date's text, in $expr.
        self.assertBinds(
            'SELECT "t"."id" FROM "t" WHERE DATE_TEXT("t"."born") LIKE %s', ["2005-07%"],
            {"$expr": {"$eq": [{"$cond": [
                {"$eq": [{"$ifNull": [{"$dateToString": {"date": "$born", "format": "%Y-%m-%d"}}, None]}, None]},
                None,
                {"$eq": [{"$substrCP": [{"$dateToString": {"date": "$born", "format": "%Y-%m-%d"}}, 0, 7]}, {"$literal": "2005-07"}]},
            ]}, True]}},
        )

    def test_cast_to_text(self):
        # Cast("born", CharField()): djongo's Cast.as_djongo casts the date's
        # text (djongo/lookups.py), not the BSON date $toString would write
        # as "1908-05-28T00:00:00.000Z".
        sql, command = project('CAST(DATE_TEXT("t"."born") AS string)', {
            "$toString": {"$dateToString": {"date": "$born", "format": "%Y-%m-%d"}},
        })
        self.assertTranslates(sql, [command])

    def test_arguments(self):
        self.assertUnsupported('SELECT DATE_TEXT("t"."a", "t"."b") AS "v" FROM "t"', "DATE_TEXT() with 2 arguments")
