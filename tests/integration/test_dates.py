"""Date, time and duration lookups, functions and arithmetic through the ORM, checked in MongoDB too."""
import datetime
import zoneinfo

from django.db import connection
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Value
from django.db.models.functions import (
    Extract, ExtractIsoWeekDay, ExtractIsoYear, ExtractQuarter, ExtractWeek, ExtractWeekDay, Now, Trunc,
    TruncDate, TruncTime,
)
from django.test import TestCase
from django.utils import timezone

from tests.integration.app.models import Kitchen

UTC = datetime.timezone.utc
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def stored(**query):
    """Return the documents of app_kitchen matching ``query``, without _id, sorted by id."""
    return [
        {key: value for key, value in doc.items() if key != "_id"}
        for doc in connection.mongo_database["app_kitchen"].find(query).sort("id", 1)
    ]


class DateTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        # 2015-12-31 is a Thursday in ISO week 53 of 2015; 2021-01-03 a Sunday in week 53 of 2020.
        cls.a = Kitchen.objects.create(
            name="a", born=datetime.date(2015, 12, 31), seen=datetime.datetime(2015, 12, 31, 23, 30, 15, 123000, UTC),
            alarm=datetime.time(7, 45, 30, 250001), span=datetime.timedelta(hours=1, microseconds=5000),
        )
        cls.b = Kitchen.objects.create(
            name="b", born=datetime.date(2021, 1, 3), seen=datetime.datetime(2021, 1, 3, 8, 0, tzinfo=UTC),
            alarm=datetime.time(23, 59), span=datetime.timedelta(days=-1),
        )
        cls.empty = Kitchen.objects.create(name="empty")

    def values(self, **annotations):
        return list(Kitchen.objects.annotate(**annotations).order_by("id").values_list(*annotations))

    def test_stored_forms(self):
        document = stored(id=self.a.pk)[0]
        self.assertEqual(document["born"], datetime.datetime(2015, 12, 31))
        self.assertEqual(document["seen"], datetime.datetime(2015, 12, 31, 23, 30, 15, 123000))
        self.assertEqual(document["alarm"], "07:45:30.250001")
        self.assertEqual(document["span"], 3_600_005_000)

    def test_extract_date_and_datetime_parts(self):
        self.assertEqual(
            self.values(
                y=Extract("born", "year"), m=Extract("seen", "month"), q=ExtractQuarter("born"),
                w=ExtractWeek("born"), iy=ExtractIsoYear("seen"), wd=ExtractWeekDay("born"),
                iwd=ExtractIsoWeekDay("seen"), h=Extract("seen", "hour"), s=Extract("seen", "second"),
            ),
            [
                (2015, 12, 4, 53, 2015, 5, 4, 23, 15),
                (2021, 1, 1, 53, 2020, 1, 7, 8, 0),
                (None, None, None, None, None, None, None, None, None),
            ],
        )

    def test_extract_in_a_time_zone(self):
        # 23:30 UTC on 31 December is 00:30 on 1 January in Paris.
        self.assertEqual(
            self.values(y=Extract("seen", "year", tzinfo=PARIS), h=Extract("seen", "hour", tzinfo=PARIS))[0],
            (2016, 0),
        )
        with timezone.override(PARIS):
            self.assertEqual(list(Kitchen.objects.filter(seen__year=2016, seen__hour=0)), [self.a])

    def test_extract_time_parts(self):
        self.assertEqual(
            self.values(h=Extract("alarm", "hour"), m=Extract("alarm", "minute"), s=Extract("alarm", "second")),
            [(7, 45, 30), (23, 59, 0), (None, None, None)],
        )
        self.assertEqual(list(Kitchen.objects.filter(alarm__hour__gt=20)), [self.b])

    def test_lookups(self):
        def names(**lookup):
            return sorted(Kitchen.objects.filter(**lookup).values_list("name", flat=True))

        self.assertEqual(names(born__year=2021), ["b"])
        self.assertEqual(names(born__month=12), ["a"])
        self.assertEqual(names(seen__day=3), ["b"])
        self.assertEqual(names(born__week=53), ["a", "b"])
        self.assertEqual(names(born__week_day=1), ["b"])
        self.assertEqual(names(born__iso_week_day=4), ["a"])
        self.assertEqual(names(seen__iso_year=2020), ["b"])
        self.assertEqual(names(born__quarter=4), ["a"])
        self.assertEqual(names(seen__minute=30), ["a"])
        self.assertEqual(names(seen__date=datetime.date(2021, 1, 3)), ["b"])
        self.assertEqual(names(seen__time=datetime.time(8)), ["b"])
        self.assertEqual(names(seen__time__lt=datetime.time(9)), ["b"])
        self.assertEqual(names(alarm__minute=45), ["a"])

    def test_trunc_to_dates_and_datetimes(self):
        self.assertEqual(
            self.values(
                w=Trunc("born", "week"), q=Trunc("seen", "quarter"), d=TruncDate("seen"),
                h=Trunc("seen", "hour"),
            ),
            [
                (datetime.date(2015, 12, 28), datetime.datetime(2015, 10, 1, tzinfo=UTC),
                 datetime.date(2015, 12, 31), datetime.datetime(2015, 12, 31, 23, tzinfo=UTC)),
                (datetime.date(2020, 12, 28), datetime.datetime(2021, 1, 1, tzinfo=UTC),
                 datetime.date(2021, 1, 3), datetime.datetime(2021, 1, 3, 8, tzinfo=UTC)),
                (None, None, None, None),
            ],
        )

    def test_trunc_in_a_time_zone(self):
        (day, month), = self.values(
            d=Trunc("seen", "day", tzinfo=PARIS), m=Trunc("seen", "month", tzinfo=PARIS),
        )[:1]
        self.assertEqual(day, datetime.datetime(2016, 1, 1, tzinfo=PARIS))
        self.assertEqual(month, datetime.datetime(2016, 1, 1, tzinfo=PARIS))
        self.assertEqual(self.values(d=TruncDate("seen", tzinfo=PARIS))[0], (datetime.date(2016, 1, 1),))

    def test_trunc_to_times(self):
        self.assertEqual(
            self.values(t=TruncTime("seen"), m=Trunc("alarm", "minute"), s=Trunc("seen", "second", output_field=None)),
            [
                (datetime.time(23, 30, 15, 123000), datetime.time(7, 45),
                 datetime.datetime(2015, 12, 31, 23, 30, 15, tzinfo=UTC)),
                (datetime.time(8), datetime.time(23, 59), datetime.datetime(2021, 1, 3, 8, tzinfo=UTC)),
                (None, None, None),
            ],
        )

    def test_group_by_trunc(self):
        # Kitchen.objects.dates() and datetimes() group by DATE_TRUNC.
        self.assertEqual(
            list(Kitchen.objects.dates("born", "year")), [datetime.date(2015, 1, 1), datetime.date(2021, 1, 1)],
        )
        self.assertEqual(
            list(Kitchen.objects.datetimes("seen", "week")),
            [datetime.datetime(2015, 12, 28, tzinfo=UTC), datetime.datetime(2020, 12, 28, tzinfo=UTC)],
        )

    def test_now(self):
        before = timezone.now() - datetime.timedelta(seconds=5)
        (now,) = self.values(n=Now())[0]
        self.assertGreater(now, before)
        self.assertEqual(sorted(Kitchen.objects.filter(seen__lt=Now()).values_list("name", flat=True)), ["a", "b"])


class DurationTests(TestCase):

    @classmethod
    def setUpTestData(cls):
        cls.a = Kitchen.objects.create(
            name="a", born=datetime.date(2020, 2, 28), seen=datetime.datetime(2020, 2, 28, 22, tzinfo=UTC),
            alarm=datetime.time(23, 0, 0, 1500), span=datetime.timedelta(hours=3, microseconds=2500),
        )
        cls.empty = Kitchen.objects.create(name="empty")

    def values(self, **annotations):
        return list(Kitchen.objects.annotate(**annotations).order_by("id").values_list(*annotations))

    def test_datetime_and_date_plus_and_minus_durations(self):
        self.assertEqual(
            self.values(
                later=F("seen") + F("span"), earlier=F("seen") - datetime.timedelta(days=1),
                first=F("span") + F("seen"),
                moved=ExpressionWrapper(F("born") + datetime.timedelta(days=2), output_field=DateTimeField()),
            )[0],
            (
                datetime.datetime(2020, 2, 29, 1, 0, 0, 2000, tzinfo=UTC),
                datetime.datetime(2020, 2, 27, 22, tzinfo=UTC),
                datetime.datetime(2020, 2, 29, 1, 0, 0, 2000, tzinfo=UTC),
                datetime.datetime(2020, 3, 1, tzinfo=UTC),
            ),
        )
        self.assertEqual(list(Kitchen.objects.filter(seen__lt=F("born") + datetime.timedelta(days=1))), [self.a])

    def test_time_plus_duration_wraps_around_midnight(self):
        self.assertEqual(
            self.values(t=F("alarm") + F("span"), u=F("alarm") - datetime.timedelta(hours=23, microseconds=1)),
            [(datetime.time(2, 0, 0, 4000), datetime.time(0, 0, 0, 1499)), (None, None)],
        )

    def test_duration_arithmetic(self):
        self.assertEqual(
            self.values(
                double=ExpressionWrapper(F("span") * 2, output_field=DurationField()),
                more=F("span") + datetime.timedelta(seconds=1),
            ),
            [
                (datetime.timedelta(hours=6, microseconds=5000), datetime.timedelta(hours=3, seconds=1, microseconds=2500)),
                (None, None),
            ],
        )

    def test_temporal_subtraction(self):
        self.assertEqual(
            self.values(
                since=F("seen") - Value(datetime.datetime(2020, 2, 28, tzinfo=UTC)),
                dates=F("born") - Value(datetime.date(2020, 1, 1)),
                times=F("alarm") - Value(datetime.time(21, 30)),
            ),
            [
                (datetime.timedelta(hours=22), datetime.timedelta(days=58),
                 datetime.timedelta(hours=1, minutes=30, microseconds=1500)),
                (None, None, None),
            ],
        )
        # Subtracting a date from a datetime mixes types: Django leaves it to the backend's own "-".
        self.assertEqual(list(Kitchen.objects.filter(span__lt=F("seen") - Value(datetime.datetime(2020, 2, 28, tzinfo=UTC)))), [self.a])

    def test_stored_duration_is_microseconds(self):
        Kitchen.objects.filter(pk=self.a.pk).update(span=datetime.timedelta(seconds=-1))
        self.assertEqual(stored(id=self.a.pk)[0]["span"], -1_000_000)
        self.assertEqual(Kitchen.objects.get(pk=self.a.pk).span, datetime.timedelta(seconds=-1))
