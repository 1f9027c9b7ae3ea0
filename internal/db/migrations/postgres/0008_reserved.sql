-- Reserved for another part of issue 4 (renumbered at merge); intentionally empty.
SELECT 1;
