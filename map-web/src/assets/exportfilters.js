// exportfilters: what a page shows, as the scope of an export (exports.js). The export API says a
// street itself (street=); anything narrower or other — a community, a grid, a district at a city,
// open cases, the desk queue's states and its overdue cases — goes as a CQL2 text filter (OGC API –
// Features Part 3) over the collection's queryables (GET /collections/{id}/queryables): code,
// street_code, community_code, grid_code, state, deadline. Every value is a literal from the page's
// own lists or codes, quoted here in one place; nothing a user typed goes into a filter.

import { CLOSED_STATES } from '/assets/cases.js';

/** A CQL2 character string literal: in single quotes, a quote doubled. */
export function literal(value) {
  return "'" + String(value).replace(/'/g, "''") + "'";
}

/** The conditions that are given, joined by AND (null when none is). */
export function allOf(...conditions) {
  const given = conditions.filter(Boolean);
  return given.length ? given.join(' AND ') : null;
}

/** Open cases, as the API's open=true, the desk's queue and the wall's case layer count them. */
export function openCases() {
  return 'state NOT IN (' + CLOSED_STATES.map(literal).join(', ') + ')';
}

/** Cases in one of these states (the desk's state filter: "filed,reopened"). */
export function casesIn(states) {
  return 'state IN (' + states.map(literal).join(', ') + ')';
}

/** Cases whose deadline has passed at `now` (a Date): the desk's 只看超时, with open cases. */
export function overdueAt(now) {
  return 'deadline < TIMESTAMP(' + literal(now.toISOString().replace(/\.\d{3}Z$/, 'Z')) + ')';
}

const LEVELS = { 6: 'district', 9: 'street', 12: 'community', 14: 'grid' };
const RANK = ['district', 'street', 'community', 'grid'];
/** The level of the areas a collection of areas holds; the other collections hold records placed in areas. */
const AREA_LEVEL = { streets: 'street', communities: 'community', grids: 'grid' };

/**
 * An area's records of a collection, by the area's code: {street, filter}, or null where the
 * collection holds nothing of that area (the streets of a community). A street is the API's own
 * street=; a community or a grid also names its street (its code's first 9 digits), so that the
 * export reads that street only and its filter picks the area in it; a district (at a city) matches
 * the street codes it starts. No code: the whole scope.
 */
export function inArea(collection, code) {
  if (!code) {
    return { street: '', filter: null };
  }
  const level = LEVELS[code.length];
  const own = AREA_LEVEL[collection];
  if (!level || (own && RANK.indexOf(own) < RANK.indexOf(level))) {
    return null;
  }
  if (level === 'street') {
    return { street: code, filter: null };
  }
  if (level === 'district') {
    return { street: '', filter: (own === 'street' ? 'code' : 'street_code') + ' LIKE ' + literal(code + '%') };
  }
  return { street: code.slice(0, 9), filter: (own === level ? 'code' : level + '_code') + ' = ' + literal(code) };
}
