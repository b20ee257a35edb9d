// The information library, written for young people (reading age about 12). Each topic names
// the directory needs whose services are listed with it.

export interface Topic {
  slug: string;
  title: string;
  summary: string;
  needs: string[];
  body: { heading: string; paras?: string[]; list?: string[] }[];
}

export const TOPICS: Topic[] = [
  {
    slug: 'anxiety',
    title: 'Anxiety and worry',
    summary: 'What worry feels like, and what can help when it will not go away.',
    needs: ['anxiety'],
    body: [
      { heading: 'What it is', paras: ['Everyone worries sometimes. Anxiety is when worry is strong, happens a lot, or stops you doing things you want to do.', 'It can make your heart beat fast, your tummy feel sick, or your breathing feel quick. This is your body trying to keep you safe, even when there is no danger.'] },
      { heading: 'Things that can help', list: ['Breathe in slowly for 4, hold for 4, and breathe out for 4. Do this a few times.', 'Tell someone you trust what you are worried about.', 'Try not to avoid everything that scares you. Take small steps instead.', 'Move your body: a walk, a dance or a kick-about all help.', 'Cut down on energy drinks and caffeine.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if worry stops you going to school, seeing friends or sleeping, or if it has lasted for a few weeks.'] },
    ],
  },
  {
    slug: 'low-mood',
    title: 'Low mood and feeling sad',
    summary: 'Feeling down, flat or hopeless, and how to start feeling better.',
    needs: ['low-mood'],
    body: [
      { heading: 'What it is', paras: ['Low mood is feeling sad, flat, tired or empty. You might not enjoy things you used to like. You might cry more, or feel nothing much at all.', 'Low mood often gets better in a few weeks. If it lasts longer, it can be depression, and help works.'] },
      { heading: 'Things that can help', list: ['Keep to a routine: get up, eat and go to bed at similar times.', 'Do one small thing you used to enjoy, even if you do not feel like it.', 'Get outside in daylight every day.', 'Talk to a friend, family member or teacher.', 'Write down three things that went OK today.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if you have felt low for more than two weeks, or if you have thoughts of hurting yourself or not wanting to be alive. If you feel unsafe now, call 999 or NHS 111 and choose option 2.'] },
    ],
  },
  {
    slug: 'exam-stress',
    title: 'Exam stress',
    summary: 'Coping with tests, revision and pressure at school or college.',
    needs: ['academic-stress'],
    body: [
      { heading: 'What it is', paras: ['Feeling some pressure before exams is normal. It can even help you focus. Too much stress can make it hard to sleep, eat or think clearly.'] },
      { heading: 'Things that can help', list: ['Make a simple revision plan with short sessions and breaks.', 'Sleep matters more than one more hour of revision.', 'Eat regular meals and drink water.', 'Talk to a teacher if you are falling behind. They want to help.', 'Remember that one exam does not decide your whole life.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if stress is making you ill, stopping you sleeping for many nights, or making you feel hopeless.'] },
    ],
  },
  {
    slug: 'bullying',
    title: 'Bullying and cyber-bullying',
    summary: 'What to do if someone is hurting you in person or online.',
    needs: ['bullying'],
    body: [
      { heading: 'What it is', paras: ['Bullying is when someone hurts you again and again on purpose. It can be hitting, name-calling, leaving you out, or spreading lies.', 'Cyber-bullying happens online: mean messages, posts, photos shared without your say, or group chats that leave you out.'] },
      { heading: 'Things that can help', list: ['It is not your fault. Nobody deserves to be bullied.', 'Tell an adult you trust, like a parent, carer or teacher.', 'Save screenshots of messages and posts.', 'Block and report people on apps and games.', 'Childline (0800 1111) can help you work out what to do.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if bullying is making you scared, very sad, or if you are thinking of hurting yourself.'] },
    ],
  },
  {
    slug: 'body-image',
    title: 'Body image',
    summary: 'Feeling bad about how you look, and being kinder to yourself.',
    needs: ['body-image'],
    body: [
      { heading: 'What it is', paras: ['Body image is how you think and feel about your body. Lots of young people feel unhappy with how they look sometimes.', 'Social media often shows edited photos. Real bodies come in every shape and size.'] },
      { heading: 'Things that can help', list: ['Unfollow accounts that make you feel bad about yourself.', 'Think about what your body can do, not just how it looks.', 'Talk to someone about how you feel.', 'Try not to compare yourself to others.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if worries about your body take up a lot of your day, or if you are changing how you eat because of them.'] },
    ],
  },
  {
    slug: 'self-harm',
    title: 'Self-harm',
    summary: 'Hurting yourself on purpose: understanding it and getting support.',
    needs: ['self-harm'],
    body: [
      { heading: 'What it is', paras: ['Self-harm is when someone hurts themselves on purpose. People often do it to cope with feelings that seem too big.', 'You are not alone, and you will not be judged for asking for help.'] },
      { heading: 'Things that can help', list: ['Tell someone you trust, like a parent, carer, teacher or GP.', 'Hold an ice cube, squeeze a stress ball or draw on your skin with a pen instead.', 'Write down what you feel, or rip up paper.', 'Keep wounds clean and get them checked if you are worried.'] },
      { heading: 'When to get help now', paras: ['If you have hurt yourself badly or taken too many tablets, call 999 or go to A&E now. If you have urges to hurt yourself, call NHS 111 and choose option 2, or text SHOUT to 85258.'] },
    ],
  },
  {
    slug: 'eating-worries',
    title: 'Eating worries',
    summary: 'When food, eating or weight become a big worry.',
    needs: ['eating-difficulties', 'eating-disorder'],
    body: [
      { heading: 'What it is', paras: ['Sometimes food and eating become a big worry. Someone might eat very little, eat a lot in secret, make themselves sick, or exercise too much.', 'Anorexia and bulimia are eating disorders. They are serious, but people do get better with help.'] },
      { heading: 'Signs to look out for', list: ['Skipping meals or cutting out lots of foods', 'Losing weight quickly', 'Feeling guilty or scared after eating', 'Feeling dizzy, cold or very tired'] },
      { heading: 'When to ask for help', paras: ['Ask for help early: it makes a big difference. If someone is losing weight quickly, fainting or not eating or drinking at all, get help the same day from a GP or NHS 111.'] },
    ],
  },
  {
    slug: 'sleep',
    title: 'Sleep',
    summary: 'Why sleep matters, and tips for a better night.',
    needs: ['sleep'],
    body: [
      { heading: 'Why it matters', paras: ['Young people need about 8 to 10 hours of sleep. Poor sleep can make worry, low mood and anger feel much worse.'] },
      { heading: 'Tips for a better night', list: ['Go to bed and get up at about the same time every day.', 'Put your phone away an hour before bed, or out of your room.', 'Avoid energy drinks, coffee and cola in the afternoon and evening.', 'If you cannot sleep, get up, do something calm, and try again later.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if you have slept badly for weeks, or if worries keep you awake most nights.'] },
    ],
  },
  {
    slug: 'anger',
    title: 'Anger',
    summary: 'When anger feels out of control, and ways to calm down.',
    needs: ['anger'],
    body: [
      { heading: 'What it is', paras: ['Anger is a normal feeling. It becomes a problem when it leads to hurting people, breaking things, or getting into trouble a lot.'] },
      { heading: 'Things that can help', list: ['Notice your warning signs, like a hot face or tight fists.', 'Walk away and take some slow breaths.', 'Do something physical, like running.', 'Talk about what made you angry once you are calm.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if anger is hurting you or people around you, or if it happens most days.'] },
    ],
  },
  {
    slug: 'bereavement',
    title: 'When someone dies',
    summary: 'Grief, loss and looking after yourself after a death.',
    needs: ['bereavement'],
    body: [
      { heading: 'What grief is like', paras: ['When someone close dies you might feel sad, angry, numb, guilty or even relieved. All of these are normal. Grief can come and go in waves.'] },
      { heading: 'Things that can help', list: ['Talk about the person who died, and share memories.', 'Keep something that reminds you of them.', 'Let school know, so they can support you.', 'It is OK to laugh and have fun too.'] },
      { heading: 'When to ask for help', paras: ['Ask for help if grief stops you doing everyday things for a long time, or if you have thoughts of not wanting to be alive.'] },
    ],
  },
  {
    slug: 'adhd-and-autism',
    title: 'ADHD and autism: for parents and carers',
    summary: 'If you think your child may be autistic or have ADHD.',
    needs: ['adhd', 'autism'],
    body: [
      { heading: 'What they are', paras: ['A child with ADHD may find it hard to focus, sit still or wait their turn.', 'An autistic child may find it hard to make sense of other people, or of noise, light and change. They may like things to stay the same.', 'Neither is caused by how you bring up your child. With the right help, many children do well.'] },
      { heading: 'What you can do', list: ['Write down what you see at home. Ask the school what they see.', 'Talk to the school. Every school has a teacher who helps children with extra needs, called the SENCO. They can help before your child has a diagnosis.', 'Talk to your GP or school nurse about getting your child checked.', 'Look after yourself too. Groups for parents can help.'] },
      { heading: 'Feelings and worries', paras: ['Children with ADHD and autistic children are more likely to feel worried or low. If your child is struggling, you can ask us for help.'] },
    ],
  },
  {
    slug: 'while-you-wait',
    title: 'Looking after yourself while you wait',
    summary: 'Things to do while you wait for help, and what to do if things get worse.',
    needs: ['information-only'],
    body: [
      { heading: 'While you wait', list: ['Keep doing small things that help you feel OK: time outside, music, friends, pets.', 'Try to keep to a routine for sleep and meals.', 'Tell someone you trust how you are feeling.', 'Use free online support, such as online counselling.'] },
      { heading: 'Keep track of your request', paras: ['You can see what is happening with your request at any time. Use the reference and link we gave you on the Track a request page.'] },
      { heading: 'If things get worse', paras: ['Do not wait. Call 999 if life is at risk. Call NHS 111 and choose option 2 for urgent mental health help. Text SHOUT to 85258, call Childline on 0800 1111, or Samaritans on 116 123.'] },
    ],
  },
];
