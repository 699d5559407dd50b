/*
 * Build tool: writes a C file defining an array of embedded files
 * (struct embedded_file, svc/embed.h) named SYMBOL from the given paths.
 * Usage: embed SYMBOL FILE... > out.c
 */
#include <stdio.h>
#include <string.h>

int
main(int argc, char *argv[])
{
	int i, c;
	size_t n;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: embed SYMBOL FILE...\n");
		return 2;
	}
	printf("#include \"embed.h\"\n\n");
	for (i = 2; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			perror(argv[i]);
			return 1;
		}
		printf("static const unsigned char %s_%d[] = {", argv[1], i);
		for (n = 0; (c = fgetc(f)) != EOF; n++)
			printf("%s%d,", n % 20 ? "" : "\n", c);
		printf("0};\n");
		fclose(f);
	}
	printf("\nconst struct embedded_file %s[] = {\n", argv[1]);
	for (i = 2; i < argc; i++) {
		const char *base = strrchr(argv[i], '/');

		printf("\t{\"%s\", %s_%d, sizeof(%s_%d) - 1},\n",
		    base ? base + 1 : argv[i], argv[1], i, argv[1], i);
	}
	printf("\t{0, 0, 0}\n};\nconst size_t %s_n = %d;\n", argv[1],
	    argc - 2);
	return 0;
}
