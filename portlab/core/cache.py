"""Django's database cache with an `incr` that stays exact under concurrent workers.

Django's DatabaseCache increments by get() then set(): two workers reading 7 both write 8. Here
the row is read and rewritten in one transaction holding its lock (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions already hold the database's write lock).
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key, delta: int = 1, version=None) -> int:
        key = self.make_and_validate_key(key, version=version)
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(f"SELECT value FROM {table} WHERE cache_key = %s AND expires > %s"
                           f"{lock}", [key, now])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, key])
        return value

    def decr(self, key, delta: int = 1, version=None) -> int:
        return self.incr(key, -delta, version)
