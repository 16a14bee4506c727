"""
Run translated commands with pymongo: the only package that does database
I/O for SQL statements.

Each ``run_<command>`` binds the statement's parameters into the command's
templates, calls pymongo and returns a Result that the cursor exposes
through the DB-API. The runners are grouped by job:

- reads.py: find, aggregate, counts, and the reads that combine others;
- locking.py: SELECT ... FOR UPDATE;
- inserts.py and conflicts.py: INSERT, its ids and ON CONFLICT;
- updates.py and deletes.py: UPDATE, and DELETE with its ON DELETE actions;
- ddl.py, indexes.py and checks.py: tables and columns, indexes, CHECK
  constraints;
- explain.py: EXPLAIN;
- common.py: the Result, run() and what the runners share.
"""
from djongo.executor import checks, ddl, deletes, explain, indexes, inserts, locking, reads, updates
from djongo.executor.common import RUNNERS, Result, run
from djongo.sql2mongo import commands as c

__all__ = ["RUNNERS", "Result", "run"]

RUNNERS.update({
    c.LockedRows: locking.run_locked_rows,
    c.Find: reads.run_find,
    c.Aggregate: reads.run_aggregate,
    c.CountDocuments: reads.run_count_documents,
    c.Combine: reads.run_combine,
    c.KeyedJoin: reads.run_keyed_join,
    c.CountRows: reads.run_count_rows,
    c.Explain: explain.run_explain,
    c.InsertMany: inserts.run_insert_many,
    c.UpdateMany: updates.run_update_many,
    c.UpdateEach: updates.run_update_each,
    c.BulkUpdate: updates.run_bulk_update,
    c.DeleteMany: deletes.run_delete_many,
    c.CreateCollection: ddl.run_create_collection,
    c.DropCollection: ddl.run_drop_collection,
    c.RenameCollection: ddl.run_rename_collection,
    c.CreateSequence: ddl.run_create_sequence,
    c.DropField: ddl.run_drop_field,
    c.RenameField: ddl.run_rename_field,
    c.CreateIndex: indexes.run_create_index,
    c.DropIndex: indexes.run_drop_index,
    c.AddChecks: checks.run_add_checks,
    c.DropCheck: checks.run_drop_check,
    c.NoOp: ddl.run_no_op,
})
