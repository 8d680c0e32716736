import { prepared, preparedNameOf } from './prepared-statements.js';

describe('prepared()', () => {
  it('gives one stable statement name per text and none to unmarked texts', () => {
    const sql = prepared('SELECT id, name FROM organisations WHERE organisation_id = $1 /* unit: stable name */');
    expect(prepared(sql)).toBe(sql);
    expect(preparedNameOf(sql)).toMatch(/^hoh_[0-9a-f]{24}$/);
    expect(preparedNameOf(`${sql} `)).toBeUndefined();
    expect(preparedNameOf('SELECT 1 /* never marked */')).toBeUndefined();
  });

  it('gives different texts different names', () => {
    const a = prepared('SELECT 1 AS one /* unit: a */');
    const b = prepared('SELECT 1 AS one /* unit: b */');
    expect(preparedNameOf(a)).not.toBe(preparedNameOf(b));
  });

  it.each(['SELECT * FROM answers', 'SELECT x.* FROM answers x', 'WITH w AS (UPDATE answers SET value = $1 RETURNING *) SELECT question_id FROM w'])(
    'refuses a star select list, whose cached plan would break when a migration adds a column: %s',
    (sql) => {
      expect(() => prepared(sql)).toThrow(/list their columns/);
      expect(preparedNameOf(sql)).toBeUndefined();
    },
  );

  it('accepts count(*) and other stars that are not a column list', () => {
    expect(() => prepared('SELECT count(*) AS n, 2 * 3 AS six FROM answers /* unit: count */')).not.toThrow();
  });
});
