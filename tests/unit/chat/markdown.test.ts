import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChatMarkdown,
  defuseText,
  inlineCode,
  joinMarkdown,
  md,
  trustedMarkdown,
} from '../../../shared/chat/markdown.ts';

const numRuns = Number(process.env.FAST_CHECK_RUNS ?? '200');
const WORD_JOINER = '\u2060';
/** What a chat client would act on: a mention, a control sequence, a link, a code span, a line break. */
const ACTIVE = [/@(?!\u2060)/, /#(?!\u2060)/, /[<>[\]`&]/, /:\/\//, /[\r\n]/];

describe('defuseText', () => {
  it.each([
    ['@here', `@${WORD_JOINER}here`],
    ['@channel please', `@${WORD_JOINER}channel please`],
    ['<!channel>', '‹!channel›'],
    ['<@U024BE7LH>', `‹@${WORD_JOINER}U024BE7LH›`],
    ['<https://evil.example|click>', `‹https:${WORD_JOINER}//evil.example|click›`],
    ['[x](http://evil.example)', `［x］(http:${WORD_JOINER}//evil.example)`],
    ['![img](http://evil.example/a.png)', `!［img］(http:${WORD_JOINER}//evil.example/a.png)`],
    ['`code`', 'ˋcodeˋ'],
    ['*bold* ~strike~', '∗bold∗ ∼strike∼'],
    ['_admin_', '＿admin＿'],
    ['svc_deploy_bot', 'svc_deploy_bot'],
    ['#general', `#${WORD_JOINER}general`],
    ['a&lt;b', 'a＆lt;b'],
    ['line one\nline two\r\n\tthree', 'line one line two three'],
    ['user\u202Etxt.exe', 'usertxt.exe'],
    ['zero\u200Bwidth', 'zerowidth'],
  ])('defuses %j', (input, expected) => {
    expect(defuseText(input)).toBe(expected);
  });

  it('keeps what IAM user names hold readable: letters, digits and + = , . @ - _', () => {
    expect(defuseText('jane.doe+ops=1,x-y_z')).toBe('jane.doe+ops=1,x-y_z');
    expect(defuseText('jane@example.com')).toBe(`jane@${WORD_JOINER}example.com`);
  });

  it('leaves nothing a chat client would act on, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const defused = defuseText(text);
        for (const pattern of ACTIVE) expect(defused).not.toMatch(pattern);
        expect(defused).not.toMatch(/[*~]/);
      }),
      { numRuns },
    );
  });
});

describe('inlineCode', () => {
  it('shows a value exactly in a code span, emphasis characters and all', () => {
    expect(inlineCode('_admin_*').value).toBe('`_admin_*`');
  });

  it('cannot be broken out of: a backtick in the value is a look-alike', () => {
    expect(inlineCode('a` @here `b').value).toBe(`\`aˋ @${WORD_JOINER}here ˋb\``);
  });

  it('holds exactly one code span and nothing a chat client would act on, whatever the value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        const code = inlineCode(value).value;
        expect(code.startsWith('`') && code.endsWith('`')).toBe(true);
        const inside = code.slice(1, -1);
        for (const pattern of ACTIVE) expect(inside).not.toMatch(pattern);
      }),
      { numRuns },
    );
  });
});

describe('md', () => {
  it('keeps its own markdown and defuses every value put into it', () => {
    const name = '@here [x](http://evil.example)';
    expect(md`*Key* of ${name}`.value).toBe(
      `*Key* of @${WORD_JOINER}here ［x］(http:${WORD_JOINER}//evil.example)`,
    );
  });

  it('takes markdown already made as it is, and numbers, arrays and nothing', () => {
    const code = inlineCode('bob');
    expect(md`${code} has ${2} keys${undefined}${null}${false}: ${[md`a`, ' <b>']}`.value).toBe(
      '`bob` has 2 keys: a ‹b›',
    );
  });

  it('is the only way in besides trustedMarkdown and joinMarkdown', () => {
    expect(trustedMarkdown('*ours*')).toEqual(new ChatMarkdown('*ours*'));
    expect(joinMarkdown([md`one`, md`two ${'@x'}`]).value).toBe(`one\ntwo @${WORD_JOINER}x`);
    expect(joinMarkdown([md`a`, md`b`], ', ').value).toBe('a, b');
  });
});
