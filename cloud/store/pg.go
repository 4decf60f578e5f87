package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the Store on a PostgreSQL database that several valv-cloud processes
// share. Every method is one transaction (a read of one statement, like a session with
// its account or a pull page, is one by itself); the rows it changes are taken FOR
// UPDATE first, so what bbolt gets from having one writer, this gets from row locks:
// a push locks its account's vault row, a Temp call its record.
type Postgres struct {
	pool    *pgxpool.Pool
	timeout time.Duration
	closed  atomic.Bool
	hub     hub
	stop    context.CancelFunc
	wg      sync.WaitGroup
	logf    func(format string, args ...any) // operational messages; never given a secret
}

var _ Store = (*Postgres)(nil)

// opTimeout bounds one Store call: a database that stops answering fails requests
// instead of holding them forever.
const opTimeout = 30 * time.Second

// hotStatements are what every authenticated request, wait, pull and push runs.
var hotStatements = []string{sessionAccountSQL, licencesSQL, readVaultSQL, pullSQL, lockVaultSQL,
	itemsSQL(false), writeItemsSQL, saveVaultSQL}

// prepareHot prepares hotStatements on a new connection, so that a burst of requests
// after a start (or after the pool grew) does not pay, on every connection at once, for
// parsing them and for the server process loading the tables' catalog entries. It is
// only a head start: a statement that fails to prepare is prepared on first use.
func prepareHot(ctx context.Context, c *pgx.Conn) {
	for _, sql := range hotStatements {
		if _, err := c.Prepare(ctx, sql, sql); err != nil {
			return
		}
	}
}

// defaultMaxConns is the pool's size unless the URL sets pool_max_conns: pgxpool's own
// default (the CPUs, at least 4) leaves requests queueing for a connection while the
// ones holding them wait on the network and on row locks, not on the CPU. The pool is
// opened at this size (pool_min_conns, unless the URL sets it) rather than grown in
// the first burst of requests, when opening a connection costs the most.
func defaultMaxConns() int32 { return int32(max(8, 2*runtime.NumCPU())) }

// OpenPostgres connects to the database at url (postgres://user@host:port/db?…),
// applies the schema migrations and starts listening for other replicas' vault
// changes; logf gets what goes wrong in the background.
func OpenPostgres(ctx context.Context, url string, logf func(format string, args ...any)) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: -db: %w", err)
	}
	if !strings.Contains(url, "pool_max_conns") {
		cfg.MaxConns = defaultMaxConns()
	}
	if !strings.Contains(url, "pool_min_conns") {
		cfg.MinConns = cfg.MaxConns
	}
	var migrated atomic.Bool
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if migrated.Load() {
			prepareHot(ctx, c)
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", cfg.ConnConfig.Host, err)
	}
	migrated.Store(true)
	for _, c := range pool.AcquireAllIdle(ctx) { // opened before the tables were there
		prepareHot(ctx, c.Conn())
		c.Release()
	}
	s := &Postgres{pool: pool, timeout: opTimeout, logf: logf}
	lctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.wg.Add(1)
	go s.listen(lctx)
	return s, nil
}

// Close stops listening and closes the connections.
func (s *Postgres) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.stop()
	s.wg.Wait()
	s.pool.Close()
	return nil
}

// write runs fn in one read-committed transaction: enough, as every method locks the
// rows it reads to change them. fn may run more than once (see maxTxAttempts), so it
// must only change what it returns.
func (s *Postgres) write(fn func(ctx context.Context, tx pgx.Tx) error) error {
	return s.inTx(pgx.TxOptions{}, fn)
}

// maxTxAttempts bounds how often a transaction runs when PostgreSQL ends it for a
// deadlock or a serialization failure. Such a transaction was rolled back whole, so
// running it again is what the caller would do; doing it here, in the one place every
// method goes through, keeps both backends answering the same to racing requests.
const maxTxAttempts = 5

// retryable says whether err is PostgreSQL ending a transaction that may simply be run
// again: serialization_failure (40001) or deadlock_detected (40P01).
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func (s *Postgres) inTx(opts pgx.TxOptions, fn func(ctx context.Context, tx pgx.Tx) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error { return fn(ctx, tx) })
		if attempt == maxTxAttempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

// querier is what one statement runs on: a transaction, or the pool.
type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// read1 runs fn, which reads with one statement, on the pool without a transaction of
// its own: one statement sees one snapshot anyway, and BEGIN and COMMIT would cost two
// more round trips on every authenticated request.
func (s *Postgres) read1(fn func(ctx context.Context, q querier) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	return fn(ctx, s.pool)
}

// queryJSON reads one JSON record; no row is ErrNotFound.
func queryJSON[T any](ctx context.Context, tx querier, sql string, args ...any) (*T, error) {
	var raw []byte
	if err := tx.QueryRow(ctx, sql, args...).Scan(&raw); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	return decodeJSON[T](raw)
}

// readJSON is queryJSON as one statement of its own.
func readJSON[T any](s *Postgres, sql string, args ...any) (*T, error) {
	var v *T
	err := s.read1(func(ctx context.Context, q querier) (err error) {
		v, err = queryJSON[T](ctx, q, sql, args...)
		return err
	})
	return v, err
}

// listJSON reads JSON records in the query's order, with one statement.
func listJSON[T any](s *Postgres, sql string, args ...any) ([]*T, error) {
	var out []*T
	err := s.read1(func(ctx context.Context, q querier) error {
		rows, err := q.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		raws, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return err
		}
		for _, raw := range raws {
			v, err := decodeJSON[T](raw)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

func violates(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

// accountErr maps the unique indexes' refusals to the Store's errors.
func accountErr(err error) error {
	switch {
	case violates(err, "accounts_email_key"):
		return ErrEmailTaken
	case violates(err, "identities_pkey"):
		return ErrIdentityTaken
	}
	return err
}

// pgWriteAccount stores a (inserting it when isNew) with its identity index rows.
func pgWriteAccount(ctx context.Context, tx pgx.Tx, a *Account, isNew bool) error {
	raw, err := json.Marshal(a)
	if err != nil {
		return err
	}
	q := "UPDATE accounts SET email = $2, data = $3 WHERE id = $1"
	if isNew {
		q = "INSERT INTO accounts (id, email, data) VALUES ($1, $2, $3)"
	}
	if _, err := tx.Exec(ctx, q, []byte(a.ID), []byte(a.Email), raw); err != nil {
		return accountErr(err)
	}
	if _, err := tx.Exec(ctx, "DELETE FROM identities WHERE account_id = $1", []byte(a.ID)); err != nil {
		return err
	}
	var provs, subs [][]byte
	seen := map[Identity]bool{}
	for _, id := range a.Identities {
		if !seen[id] {
			seen[id] = true
			provs, subs = append(provs, []byte(id.Provider)), append(subs, []byte(id.Subject))
		}
	}
	if len(provs) == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `INSERT INTO identities (provider, subject, account_id)
		SELECT p, s, $3 FROM unnest($1::bytea[], $2::bytea[]) AS t (p, s)`, provs, subs, []byte(a.ID))
	return accountErr(err)
}

// CreateAccount implements Store.
func (s *Postgres) CreateAccount(a *Account) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error { return pgWriteAccount(ctx, tx, a, true) })
}

// Account implements Store.
func (s *Postgres) Account(id string) (*Account, error) {
	return readJSON[Account](s, "SELECT data FROM accounts WHERE id = $1", []byte(id))
}

// AccountByEmail implements Store.
func (s *Postgres) AccountByEmail(email string) (*Account, error) {
	return readJSON[Account](s, "SELECT data FROM accounts WHERE email = $1", []byte(email))
}

// AccountByIdentity implements Store.
func (s *Postgres) AccountByIdentity(provider, subject string) (*Account, error) {
	return readJSON[Account](s, `SELECT a.data FROM identities i JOIN accounts a ON a.id = i.account_id
		WHERE i.provider = $1 AND i.subject = $2`, []byte(provider), []byte(subject))
}

// UpdateAccount implements Store.
func (s *Postgres) UpdateAccount(id string, fn func(a *Account) error) (*Account, error) {
	var a *Account
	err := s.write(func(ctx context.Context, tx pgx.Tx) (err error) {
		if a, err = queryJSON[Account](ctx, tx, "SELECT data FROM accounts WHERE id = $1 FOR UPDATE", []byte(id)); err != nil {
			return err
		}
		if err := fn(a); err != nil {
			return err
		}
		a.ID = id // the ID is the key; fn cannot move the record
		return pgWriteAccount(ctx, tx, a, false)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteAccount implements Store.
func (s *Postgres) DeleteAccount(id string) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM accounts WHERE id = $1", []byte(id))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		for _, q := range []string{"DELETE FROM sessions WHERE account_id = $1", "DELETE FROM licences WHERE account_id = $1",
			"DELETE FROM vault_items WHERE account_id = $1", "DELETE FROM vault_chunks WHERE account_id = $1",
			"DELETE FROM vaults WHERE account_id = $1"} {
			if _, err := tx.Exec(ctx, q, []byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

func putSession(ctx context.Context, tx pgx.Tx, se *Session) error {
	raw, err := json.Marshal(se)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO sessions (id, account_id, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET account_id = EXCLUDED.account_id, data = EXCLUDED.data`,
		[]byte(se.ID), []byte(se.AccountID), raw)
	return err
}

// PutSession implements Store.
func (s *Postgres) PutSession(se *Session) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error { return putSession(ctx, tx, se) })
}

// Session implements Store.
func (s *Postgres) Session(id string) (*Session, error) {
	return readJSON[Session](s, "SELECT data FROM sessions WHERE id = $1", []byte(id))
}

const sessionAccountSQL = `SELECT s.data, a.data FROM sessions s LEFT JOIN accounts a ON a.id = s.account_id
	WHERE s.id = $1`

// SessionAccount implements Store: one statement, so one snapshot and one round trip.
func (s *Postgres) SessionAccount(id string) (*Session, *Account, error) {
	var rawSe, rawA []byte
	err := s.read1(func(ctx context.Context, q querier) error {
		err := q.QueryRow(ctx, sessionAccountSQL, []byte(id)).Scan(&rawSe, &rawA)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	se, err := decodeJSON[Session](rawSe)
	if err != nil {
		return nil, nil, err
	}
	if rawA == nil {
		return se, nil, nil
	}
	a, err := decodeJSON[Account](rawA)
	if err != nil {
		return nil, nil, err
	}
	return se, a, nil
}

// Sessions implements Store.
func (s *Postgres) Sessions(accountID string) ([]*Session, error) {
	return listJSON[Session](s, "SELECT data FROM sessions WHERE account_id = $1 ORDER BY id", []byte(accountID))
}

// DeleteSession implements Store.
func (s *Postgres) DeleteSession(accountID, id string) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM sessions WHERE id = $1 AND account_id = $2", []byte(id), []byte(accountID))
		if err == nil && tag.RowsAffected() == 0 {
			err = ErrNotFound
		}
		return err
	})
}

// UpdateSession implements Store.
func (s *Postgres) UpdateSession(id string, fn func(se *Session) (bool, error)) (*Session, error) {
	var se *Session
	err := s.write(func(ctx context.Context, tx pgx.Tx) (err error) {
		if se, err = queryJSON[Session](ctx, tx, "SELECT data FROM sessions WHERE id = $1 FOR UPDATE", []byte(id)); err != nil {
			return err
		}
		keep, err := fn(se)
		if err != nil {
			return err
		}
		if !keep {
			_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE id = $1", []byte(id))
			return err
		}
		se.ID = id // the ID is the key; fn cannot move the record
		return putSession(ctx, tx, se)
	})
	if err != nil {
		return nil, err
	}
	return se, nil
}

// DeleteSessions implements Store.
func (s *Postgres) DeleteSessions(accountID, keep string) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE account_id = $1 AND id <> $2", []byte(accountID), []byte(keep))
		return err
	})
}

const licencesSQL = "SELECT data FROM licences WHERE account_id = $1 ORDER BY id"

// Licences implements Store.
func (s *Postgres) Licences(accountID string) ([]*Licence, error) {
	return listJSON[Licence](s, licencesSQL, []byte(accountID))
}

func putLicence(ctx context.Context, tx pgx.Tx, l *Licence) error {
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO licences (account_id, id, data) VALUES ($1, $2, $3)
		ON CONFLICT (account_id, id) DO UPDATE SET data = EXCLUDED.data`, []byte(l.AccountID), []byte(l.ID), raw)
	return err
}

// PutLicence implements Store.
func (s *Postgres) PutLicence(l *Licence) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error { return putLicence(ctx, tx, l) })
}

func putCode(ctx context.Context, tx pgx.Tx, c *ActivationCode) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO activation_codes (code, data) VALUES ($1, $2)
		ON CONFLICT (code) DO UPDATE SET data = EXCLUDED.data`, []byte(c.Code), raw)
	return err
}

// PutActivationCode implements Store.
func (s *Postgres) PutActivationCode(c *ActivationCode) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error { return putCode(ctx, tx, c) })
}

// RedeemActivationCode implements Store.
func (s *Postgres) RedeemActivationCode(code, accountID string, now time.Time, mk func(c *ActivationCode) *Licence) (*Licence, error) {
	var l *Licence
	err := s.write(func(ctx context.Context, tx pgx.Tx) error {
		c, err := queryJSON[ActivationCode](ctx, tx, "SELECT data FROM activation_codes WHERE code = $1 FOR UPDATE", []byte(code))
		if err != nil {
			return err
		}
		if c.UsedBy != "" {
			return ErrCodeUsed
		}
		c.UsedBy, c.UsedAt = accountID, now
		if err := putCode(ctx, tx, c); err != nil {
			return err
		}
		l = mk(c)
		return putLicence(ctx, tx, l)
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Temp implements Store. The record is locked before fn sees it: an absent one as a
// placeholder row the upsert creates, which a racing call waits on (the unique key
// makes it), so check-and-count is atomic across replicas as well.
func (s *Postgres) Temp(kind, key string, now time.Time, fn TempFunc) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		k, n := []byte(kind), []byte(key)
		var cur []byte
		var exp int64
		err := tx.QueryRow(ctx, `INSERT INTO temp (kind, key, expires) VALUES ($1, $2, 0)
			ON CONFLICT (kind, key) DO UPDATE SET kind = EXCLUDED.kind RETURNING value, expires`, k, n).Scan(&cur, &exp)
		if err != nil {
			return err
		}
		if len(cur) == 0 || !now.Before(time.Unix(0, exp)) {
			cur = nil // as bbolt's: an empty value reads as absent
		}
		val, expires, err := fn(cur)
		if err != nil {
			return err
		}
		if val == nil {
			_, err = tx.Exec(ctx, "DELETE FROM temp WHERE kind = $1 AND key = $2", k, n)
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE temp SET value = $3, expires = $4 WHERE kind = $1 AND key = $2", k, n, val, expires.UnixNano())
		return err
	})
}

// PurgeExpired implements Store.
func (s *Postgres) PurgeExpired(now time.Time) error {
	return s.write(func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM temp WHERE expires <= $1", now.UnixNano())
		return err
	})
}
