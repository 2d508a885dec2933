import { countJUnit, failingJUnitCases } from './junit';

describe('failingJUnitCases', () => {
  it('names each failing or erroring case: the class first when it says more than the name', () => {
    const xml = `<testsuites>
  <testsuite name="sum">
    <testcase classname="sum adds" name="adds"/>
    <testcase classname="sum fails" name="fails"><failure message="boom"><![CDATA[<testcase name="quoted"><failure/></testcase>]]></failure></testcase>
    <testcase classname="tests.test_io" name="test_reads &quot;a&quot; &amp; b"><error message="x"/></testcase>
    <testcase name="later"><skipped/></testcase>
  </testsuite>
</testsuites>`;
    expect(failingJUnitCases(xml)).toEqual(['fails', 'tests.test_io › test_reads "a" & b']);
  });
  it('finds none in a passing report or in suite totals alone', () => {
    expect(failingJUnitCases('<testsuites><testcase name="a"/></testsuites>')).toEqual([]);
    expect(failingJUnitCases('<testsuite name="x" tests="5" failures="1"></testsuite>')).toEqual([]);
  });
});

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
