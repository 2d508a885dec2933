import { countJUnit } from './junit';

describe('countJUnit', () => {
  it('counts jest-junit test cases: passed, failed, skipped', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="jest tests" tests="4" failures="1" errors="0" time="0.5">
  <testsuite name="sum" tests="4" failures="1" skipped="1">
    <testcase classname="sum adds" name="adds" time="0.001"></testcase>
    <testcase classname="sum subtracts" name="subtracts" time="0.001"/>
    <testcase classname="sum fails" name="fails"><failure message="boom"><![CDATA[Expected <testcase> to be </testcase>]]></failure></testcase>
    <testcase classname="sum skips" name="skips"><skipped/></testcase>
  </testsuite>
</testsuites>`;
    expect(countJUnit(xml)).toEqual({ total: 4, passed: 2, failed: 1, skipped: 1 });
  });

  it('counts errors as failures (pytest)', () => {
    const xml = '<testsuites><testsuite tests="2"><testcase name="a"><error message="x"/></testcase><testcase name="b"/></testsuite></testsuites>';
    expect(countJUnit(xml)).toEqual({ total: 2, passed: 1, failed: 1, skipped: 0 });
  });

  it('falls back to suite totals when a reporter writes no test cases', () => {
    const xml = '<testsuite name="x" tests="5" failures="1" errors="1" skipped="1"></testsuite>';
    expect(countJUnit(xml)).toEqual({ total: 5, passed: 2, failed: 2, skipped: 1 });
  });

  it('ignores test cases quoted in comments', () => {
    expect(countJUnit('<testsuites><!-- <testcase name="old"/> --><testcase name="a"/></testsuites>')).toEqual({ total: 1, passed: 1, failed: 0, skipped: 0 });
  });

  it('says undefined for text that is not JUnit', () => {
    expect(countJUnit('{"numTests": 3}')).toBeUndefined();
    expect(countJUnit('')).toBeUndefined();
  });
});
