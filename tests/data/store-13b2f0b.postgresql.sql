--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: dataset; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.dataset (
    id integer NOT NULL,
    name character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: dataset_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.dataset_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: dataset_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.dataset_id_seq OWNED BY public.dataset.id;


--
-- Name: discussion; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.discussion (
    n_turns integer NOT NULL,
    n_agents integer NOT NULL,
    n_rounds integer NOT NULL,
    majority_correct boolean,
    round0_disagree boolean NOT NULL,
    consensus_round integer,
    flip_right_wrong boolean NOT NULL,
    flip_wrong_right boolean NOT NULL,
    n_human integer NOT NULL,
    n_review integer NOT NULL,
    n_correct integer NOT NULL,
    id integer NOT NULL,
    dataset_id integer NOT NULL,
    external_id character varying NOT NULL,
    task character varying NOT NULL,
    question text NOT NULL,
    options character varying,
    gold_answer character varying NOT NULL,
    meta character varying,
    version integer NOT NULL
);


--
-- Name: discussion_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.discussion_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: discussion_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.discussion_id_seq OWNED BY public.discussion.id;


--
-- Name: discussion_search; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.discussion_search (
    discussion_id integer NOT NULL,
    tsv tsvector NOT NULL
);


--
-- Name: turn; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.turn (
    id integer NOT NULL,
    discussion_id integer NOT NULL,
    agent character varying NOT NULL,
    round integer NOT NULL,
    reasoning text NOT NULL,
    answer character varying NOT NULL,
    answer_norm character varying,
    confidence double precision,
    explicit_edges boolean NOT NULL,
    auto_label boolean NOT NULL,
    human_label boolean,
    excluded boolean NOT NULL,
    needs_review boolean NOT NULL,
    version integer NOT NULL
);


--
-- Name: discussion_text; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.discussion_text AS
 SELECT discussion.id,
    discussion.question,
    ( SELECT string_agg(turn.reasoning, '
'::text ORDER BY turn.id) AS string_agg
           FROM public.turn
          WHERE (turn.discussion_id = discussion.id)) AS reasoning
   FROM public.discussion;


--
-- Name: edge; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.edge (
    discussion_id integer NOT NULL,
    dst_id integer NOT NULL,
    "position" integer NOT NULL,
    src_id integer NOT NULL
);


--
-- Name: evalquestion; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evalquestion (
    id integer NOT NULL,
    eval_run_id integer NOT NULL,
    key character varying NOT NULL,
    dataset character varying NOT NULL,
    discussion_id integer,
    task character varying NOT NULL,
    question text NOT NULL,
    options character varying,
    gold_answer character varying NOT NULL,
    answer character varying,
    correct boolean NOT NULL,
    tokens integer NOT NULL,
    teacher_tokens integer
);


--
-- Name: evalquestion_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.evalquestion_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: evalquestion_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.evalquestion_id_seq OWNED BY public.evalquestion.id;


--
-- Name: evalrun; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.evalrun (
    id integer NOT NULL,
    job_id integer,
    run_dir character varying NOT NULL,
    model character varying NOT NULL,
    level character varying NOT NULL,
    dataset character varying NOT NULL,
    source character varying NOT NULL,
    decoding character varying NOT NULL,
    k integer NOT NULL,
    questions integer NOT NULL,
    correct integer NOT NULL,
    student_tokens integer NOT NULL,
    teacher_tokens integer,
    summary text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: evalrun_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.evalrun_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: evalrun_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.evalrun_id_seq OWNED BY public.evalrun.id;


--
-- Name: job; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.job (
    id integer NOT NULL,
    kind character varying NOT NULL,
    name character varying NOT NULL,
    status character varying NOT NULL,
    config text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    started_at timestamp with time zone,
    finished_at timestamp with time zone,
    heartbeat_at timestamp with time zone,
    worker character varying,
    pid integer,
    progress double precision NOT NULL,
    step integer NOT NULL,
    total_steps integer,
    eta_s double precision,
    label_revision integer,
    data_hash character varying,
    data_summary character varying,
    run_dir character varying,
    log_path character varying,
    error text,
    cancel_requested boolean NOT NULL,
    attempt integer NOT NULL,
    resume_of integer
);


--
-- Name: job_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.job_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: job_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.job_id_seq OWNED BY public.job.id;


--
-- Name: labelevent; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.labelevent (
    id integer NOT NULL,
    discussion_id integer NOT NULL,
    turn_id integer,
    field character varying NOT NULL,
    old character varying,
    new character varying,
    who character varying NOT NULL,
    at timestamp with time zone NOT NULL,
    note character varying,
    revision integer NOT NULL,
    undoes integer
);


--
-- Name: labelevent_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.labelevent_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: labelevent_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.labelevent_id_seq OWNED BY public.labelevent.id;


--
-- Name: nodeprediction; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.nodeprediction (
    job_id integer NOT NULL,
    turn_id integer NOT NULL,
    p_correct double precision NOT NULL
);


--
-- Name: prediction; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.prediction (
    id integer NOT NULL,
    eval_run_id integer NOT NULL,
    question_key character varying NOT NULL,
    sample integer NOT NULL,
    text text NOT NULL,
    parsed character varying,
    correct boolean NOT NULL,
    tokens integer NOT NULL,
    latency_s double precision NOT NULL
);


--
-- Name: prediction_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.prediction_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: prediction_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.prediction_id_seq OWNED BY public.prediction.id;


--
-- Name: storemeta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.storemeta (
    key character varying NOT NULL,
    value integer NOT NULL
);


--
-- Name: turn_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.turn_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: turn_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.turn_id_seq OWNED BY public.turn.id;


--
-- Name: dataset id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dataset ALTER COLUMN id SET DEFAULT nextval('public.dataset_id_seq'::regclass);


--
-- Name: discussion id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discussion ALTER COLUMN id SET DEFAULT nextval('public.discussion_id_seq'::regclass);


--
-- Name: evalquestion id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalquestion ALTER COLUMN id SET DEFAULT nextval('public.evalquestion_id_seq'::regclass);


--
-- Name: evalrun id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalrun ALTER COLUMN id SET DEFAULT nextval('public.evalrun_id_seq'::regclass);


--
-- Name: job id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job ALTER COLUMN id SET DEFAULT nextval('public.job_id_seq'::regclass);


--
-- Name: labelevent id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.labelevent ALTER COLUMN id SET DEFAULT nextval('public.labelevent_id_seq'::regclass);


--
-- Name: prediction id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prediction ALTER COLUMN id SET DEFAULT nextval('public.prediction_id_seq'::regclass);


--
-- Name: turn id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.turn ALTER COLUMN id SET DEFAULT nextval('public.turn_id_seq'::regclass);


--
-- Data for Name: dataset; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.dataset VALUES (1, 'ecqa', '2026-12-01 19:06:15.172691+00');
INSERT INTO public.dataset VALUES (2, 'gsm8k', '2026-12-01 19:06:15.196567+00');
INSERT INTO public.dataset VALUES (3, 'strategyqa', '2026-12-01 19:06:15.214875+00');


--
-- Data for Name: discussion; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 2, 1, 'ecqa-002', 'ecqa', 'After finishing a marathon on a hot afternoon, how is a runner most likely to feel?', '["cold", "bored", "sleepy", "hungry", "exhausted"]', '5', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 4, 1, 'ecqa-004', 'ecqa', 'If you want to keep your feet dry while walking through deep puddles, what should you wear?', '["rubber boots", "sandals", "slippers", "socks", "sneakers"]', '1', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, true, true, 2, false, true, 0, 0, 6, 5, 1, 'ecqa-005', 'ecqa', 'The chef tasted the soup and found it bland. What did he most likely add to it?', '["water", "ice", "sugar", "flour", "salt"]', '5', NULL, 0);
INSERT INTO public.discussion VALUES (5, 3, 2, true, true, 1, false, true, 0, 0, 4, 6, 1, 'ecqa-006', 'ecqa', 'Where is a spare tire usually stored?', '["kitchen", "car trunk", "bathtub", "bookshelf", "bedroom closet"]', '2', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 1, 4, 7, 1, 'ecqa-007', 'ecqa', 'Jim forgot about his houseplant for two weeks and it wilted. What did the plant most likely lack?', '["music", "sunlight", "soil", "water", "fertilizer"]', '4', NULL, 0);
INSERT INTO public.discussion VALUES (12, 3, 4, false, true, NULL, true, true, 0, 3, 5, 8, 1, 'ecqa-008', 'ecqa', 'At a cinema, where is a person''s ticket usually checked before they are allowed to watch the film?', '["ticket booth", "parking lot", "theater entrance", "concession stand", "projection room"]', '3', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 9, 1, 'ecqa-009', 'ecqa', 'What will probably happen to a drinking glass that falls off a table onto a tile floor?', '["float", "bounce", "melt", "shatter", "evaporate"]', '4', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 10, 1, 'ecqa-010', 'ecqa', 'Sam wanted to see the rings of Saturn from his backyard. What did he need?', '["microscope", "magnifying glass", "periscope", "binoculars", "telescope"]', '5', NULL, 0);
INSERT INTO public.discussion VALUES (8, 3, 3, true, true, 2, true, true, 0, 0, 5, 11, 1, 'ecqa-011', 'ecqa', 'Where would a child most likely see a full-size skeleton of a Tyrannosaurus?', '["natural history museum", "zoo", "art gallery", "movie theater", "fossil quarry"]', '1', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 12, 1, 'ecqa-012', 'ecqa', 'Someone who is feeling lonely in the evening might want to do what?', '["lock the door", "skip lunch", "call a friend", "read the news", "sleep in"]', '3', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 13, 1, 'ecqa-013', 'ecqa', 'Where would you put a dirty plate after dinner if your kitchen has no dishwasher?', '["cupboard", "sink", "table", "oven", "refrigerator"]', '2', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 14, 2, 'gsm8k-001', 'gsm8k', 'A bakery sells muffins for $3 each and cookies for $2 each. On Saturday it sold 45 muffins and 60 cookies. How many dollars did the bakery make on Saturday?', NULL, '255', NULL, 0);
INSERT INTO public.discussion VALUES (12, 3, 4, true, true, 3, true, true, 0, 0, 8, 15, 2, 'gsm8k-002', 'gsm8k', 'Lena reads 18 pages every weekday and 30 pages on each day of the weekend. How many pages does she read in 3 weeks?', NULL, '450', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 16, 2, 'gsm8k-003', 'gsm8k', 'A school orders 12 boxes of pencils with 24 pencils in each box. Each of the 38 students in a class gets 7 pencils. How many pencils are left over?', NULL, '22', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, true, true, 2, false, true, 0, 0, 6, 17, 2, 'gsm8k-004', 'gsm8k', 'A jacket costs $80. It is on sale for 25% off, and then a 10% sales tax is added to the sale price. What is the final price in dollars?', NULL, '66', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 18, 2, 'gsm8k-005', 'gsm8k', 'Tom is 4 times as old as his daughter. In 20 years, he will be twice as old as she will be. How old is Tom now?', NULL, '40', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 19, 2, 'gsm8k-006', 'gsm8k', 'A train travels at 60 miles per hour for 2.5 hours and then at 45 miles per hour for 2 hours. How many miles does it travel in total?', NULL, '240', NULL, 0);
INSERT INTO public.discussion VALUES (8, 3, 3, true, true, 2, false, true, 0, 0, 5, 20, 2, 'gsm8k-007', 'gsm8k', 'A farmer has three fields. The first yields 1,250 kg of wheat, the second yields 20% more than the first, and the third yields half as much as the second. How many kilograms of wheat do the three fields yield in total?', NULL, '3500', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 21, 2, 'gsm8k-008', 'gsm8k', 'Maya earns $12 per hour. She works 5 hours a day, 5 days a week, and saves one third of her weekly pay. How much money does she save in 12 weeks?', NULL, '1200', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 22, 2, 'gsm8k-009', 'gsm8k', 'Four friends share a restaurant bill of $60 and add a 20% tip on the bill. If they split the total equally, how much does each friend pay in dollars?', NULL, '18', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, true, true, 2, true, true, 0, 0, 7, 23, 2, 'gsm8k-010', 'gsm8k', 'A car uses 1 liter of fuel for every 14 km. Fuel costs $1.80 per liter. How many dollars does the fuel cost for a round trip to a city 175 km away?', NULL, '45', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 24, 2, 'gsm8k-011', 'gsm8k', 'In a class of 32 students, 3/8 walk to school, 1/4 ride bikes, and the rest take the bus. How many students take the bus?', NULL, '12', NULL, 0);
INSERT INTO public.discussion VALUES (12, 3, 4, true, true, NULL, false, true, 0, 4, 5, 25, 2, 'gsm8k-012', 'gsm8k', 'A library had 1,500 books. It lent out 40% of them, and later one third of the lent books were returned. How many books are in the library now?', NULL, '1100', NULL, 0);
INSERT INTO public.discussion VALUES (3, 3, 1, true, false, 0, false, false, 0, 0, 3, 26, 2, 'gsm8k-013', 'gsm8k', 'A baker uses 3 eggs for each cake. She buys 7 cartons of eggs with 12 eggs in each carton. How many cakes can she bake?', NULL, '28', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 27, 2, 'gsm8k-014', 'gsm8k', 'Two hoses fill a pool together. The first delivers 12 liters per minute and the second delivers 8 liters per minute. How many minutes does it take to fill a 1,000-liter pool?', NULL, '50', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 28, 3, 'sqa-001', 'strategyqa', 'Would a person born on February 29 have had fewer birthdays on their actual birth date than their age in years by the time they turn 40?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 29, 3, 'sqa-002', 'strategyqa', 'Is the Pacific Ocean larger in area than all of Earth''s land combined?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (3, 3, 1, true, false, 0, false, false, 0, 0, 3, 30, 3, 'sqa-003', 'strategyqa', 'Would a typical marathon runner finish the race before a garden snail moving at its top speed covers one kilometre?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, true, true, 2, true, true, 0, 0, 6, 31, 3, 'sqa-004', 'strategyqa', 'Could Julius Caesar have read a printed book?', NULL, 'no', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 32, 3, 'sqa-005', 'strategyqa', 'Does water boil at a temperature above 100 °C on the summit of Mount Everest?', NULL, 'no', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 0, 5, 33, 3, 'sqa-006', 'strategyqa', 'Is the number of pawns in a standard chess set enough to give one to every player on the court during a basketball game?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (8, 3, 3, true, true, 2, false, true, 0, 0, 5, 34, 3, 'sqa-007', 'strategyqa', 'Did the Titanic sink before the Wright brothers'' first powered flight?', NULL, 'no', NULL, 0);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 0, 1, 5, 35, 3, 'sqa-008', 'strategyqa', 'Could a wild penguin and a wild polar bear meet in their natural habitats?', NULL, 'no', NULL, 0);
INSERT INTO public.discussion VALUES (12, 3, 4, false, true, NULL, true, true, 0, 3, 6, 36, 3, 'sqa-009', 'strategyqa', 'Would an astronaut spending one week aboard the International Space Station pass through more than 100 orbital sunrises?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, true, true, 2, false, true, 0, 0, 6, 37, 3, 'sqa-010', 'strategyqa', 'Is a tomato classified botanically as a vegetable?', NULL, 'no', NULL, 0);
INSERT INTO public.discussion VALUES (8, 3, 3, true, true, 2, false, true, 0, 0, 5, 38, 3, 'sqa-011', 'strategyqa', 'Could the entire population of Iceland fit inside the seats of a single large football stadium?', NULL, 'no', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, true, true, 2, false, true, 0, 0, 6, 39, 3, 'sqa-012', 'strategyqa', 'Was Leonardo da Vinci alive when Christopher Columbus first reached the Americas?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (9, 3, 3, false, true, 2, true, false, 0, 0, 2, 40, 3, 'sqa-013', 'strategyqa', 'Could soba noodles made only from buckwheat flour and water be part of a gluten-free diet?', NULL, 'yes', NULL, 0);
INSERT INTO public.discussion VALUES (3, 3, 1, false, false, 0, false, false, 0, 3, 0, 3, 1, 'ecqa-003', 'ecqa', 'What would a child most likely use to cut coloured paper into shapes for a craft project?', '["ruler", "stapler", "eraser", "scissors", "spoon"]', 'yes', NULL, 1);
INSERT INTO public.discussion VALUES (6, 3, 2, true, true, 1, false, true, 1, 0, 4, 1, 1, 'ecqa-001', 'ecqa', 'Where does a commuter usually stand while waiting for a city bus?', '["train depot", "parking garage", "bus stop", "airport gate", "ferry dock"]', '3', NULL, 0);


--
-- Data for Name: discussion_search; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.discussion_search VALUES (1, '''-4'':146 ''1'':92,125 ''3'':32,68,119,158 ''agre'':121,141 ''airport'':49 ''along'':21 ''also'':127 ''answer'':156 ''bard'':96 ''board'':110,148 ''bus'':12,29,35,62,65,89,137,152 ''buse'':14,69,102,150 ''catch'':87 ''citi'':11,13,61,136,149 ''claud'':123,143 ''commut'':4,25,81,111 ''depot'':39,74,85,99,130 ''disagre'':94 ''dock'':43 ''ferri'':42 ''fit'':134 ''gate'':50 ''go'':82 ''gpt'':145 ''kept'':71 ''mark'':19 ''option'':31,67,91,118,124 ''park'':104 ''passeng'':17,109,147 ''pick'':15 ''place'':56 ''plane'':53 ''rout'':117 ''serv'':44 ''servic'':80,106 ''stand'':6 ''stop'':20,30,36,66,114,153 ''street'':23 ''train'':38,129 ''usual'':5,55 ''vehicl'':46 ''wait'':8,26,58,112');
INSERT INTO public.discussion_search VALUES (2, '''-4'':76 ''4'':56 ''42'':18 ''5'':38,71,103 ''actual'':80 ''afternoon'':8 ''agre'':105,123 ''answer'':119 ''appetit'':83 ''bard'':109 ''best'':129 ''bodi'':24 ''burn'':41 ''calori'':44 ''claud'':107,125 ''come'':112 ''disagre'':73 ''drain'':22 ''eat'':52 ''energi'':26 ''especi'':61 ''exhaust'':36,69,91,115,121,126 ''feel'':16,32,68,101 ''finish'':2 ''fit'':130 ''fluid'':28 ''gpt'':75 ''hard'':87 ''heat'':21,90 ''hot'':7,63 ''hunger'':110 ''hungri'':54 ''immedi'':117 ''kilometr'':19 ''later'':113 ''like'':14,100 ''lose'':81 ''mani'':78 ''marathon'':4,40,57 ''near'':93 ''often'':111 ''option'':37,55,70,102 ''race'':47,88 ''right'':33,84 ''run'':17 ''runner'':12,48,66,79 ''sever'':42 ''thousand'':43 ''tire'':60 ''typic'':31 ''univers'':94 ''usual'':49 ''want'':50 ''weather'':64 ''would'':67');
INSERT INTO public.discussion_search VALUES (3, '''4'':31,53,67 ''blade'':22 ''child'':4 ''children'':54 ''colour'':10 ''craft'':16,63 ''cut'':9,18,29,50,59 ''eat'':48 ''eras'':39 ''join'':37 ''like'':6 ''mark'':42 ''measur'':34 ''option'':25,30,52,66 ''paper'':11,19,51 ''pencil'':41 ''project'':17,64 ''remov'':40 ''requir'':20 ''ruler'':33 ''safeti'':56 ''scissor'':27,49,57 ''shape'':13,61 ''spoon'':45 ''stapler'':36 ''use'':7,55 ''would'':2');
INSERT INTO public.discussion_search VALUES (4, '''-4'':126 ''1'':40,57,119,135 ''5'':75 ''agre'':102,121 ''answer'':117 ''bard'':79 ''boot'':19,51,96,133 ''canva'':88 ''choic'':100 ''claud'':104,123 ''comfort'':65 ''cover'':59,105 ''deep'':12,93 ''design'':53 ''disagre'':77 ''dri'':8,44,115 ''enough'':24 ''feet'':7,43,71 ''foot'':62,107 ''footwear'':46 ''get'':130 ''gpt'':125 ''keep'':5,26,42,113 ''let'':36 ''made'':84 ''mesh'':86 ''must'':47 ''option'':39,56,74,134 ''protect'':69 ''puddl'':13,30,73,94 ''rubber'':18,50,95,132 ''sandal'':31 ''slipper'':32 ''sneaker'':35,58,82,128 ''soak'':90,131 ''sock'':33 ''tall'':23 ''walk'':10,67 ''want'':3 ''water'':27,37 ''waterproof'':21,49,99 ''wear'':17 ''whole'':61 ''would'':129');
INSERT INTO public.discussion_search VALUES (5, '''-4'':84,162,192 ''3'':60,79,157 ''5'':41,139,178,184,202 ''acid'':55,93,136 ''ad'':42,90 ''add'':15,67,146 ''adjust'':174 ''agre'':117,159,180,187 ''almost'':124 ''also'':145 ''alway'':125 ''balanc'':54,92 ''bard'':86 ''better'':77 ''bland'':9,18,97,100,120,170 ''case'':134 ''chef'':2,98,164 ''claud'':119,143,182,189 ''common'':25,50 ''dilut'':109 ''disagre'':81,141 ''dish'':30 ''enhanc'':52 ''first'':104,166 ''fix'':26,96 ''flavour'':21,43,51,147 ''flour'':113 ''food'':62,75 ''found'':7 ''goal'':46 ''gpt'':83,161,191 ''ice'':107 ''keep'':155 ''lack'':20,127 ''like'':14,31 ''make'':74 ''mani'':149 ''mean'':19 ''option'':40,59,78,138,156,177,183,201 ''respons'':167 ''salt'':35,103,129,176,185,193 ''savouri'':29 ''season'':34,39,99,197 ''someth'':68 ''soup'':5,32,58,101,122,137,150,171,199 ''special'':133 ''standard'':38 ''strong'':71 ''sugar'':47,73,88,130,144,153 ''tast'':3,65,72,76 ''thicken'':115 ''tomato'':57 ''usual'':196 ''water'':105 ''would'':108');
INSERT INTO public.discussion_search VALUES (6, '''-4'':112 ''2'':39,55,105,125 ''5'':75 ''agre'':107 ''bard'':79 ''beneath'':48 ''car'':15,27,36,46,102,119 ''claud'':109 ''closet'':67 ''disagre'':77 ''extra'':58 ''flat'':18,93 ''floor'':50 ''get'':16 ''goe'':92 ''gpt'':111 ''home'':85 ''kept'':43,83 ''must'':115 ''need'':12 ''often'':64 ''option'':38,54,74,104,124 ''peopl'':56 ''rare'':72 ''road'':21,96 ''spare'':4,9,40,69,82,114 ''store'':7,31,57,99 ''thing'':59 ''tire'':5,10,41,70,91 ''travel'':24 ''trunk'':37,53,103 ''typic'':30 ''use'':63,73,122 ''useless'':88 ''usual'':6,47 ''would'':86');
INSERT INTO public.discussion_search VALUES (7, '''-4'':87 ''2'':55,80 ''4'':36,82,119,136,150 ''agre'':121,138 ''answer'':77 ''bard'':89 ''chang'':96 ''classic'':29 ''claud'':123,140 ''disagre'':84 ''either'':79 ''enough'':52,65,68 ''food'':42 ''forget'':19,91 ''forgot'':2,143 ''get'':51,64,101 ''gpt'':86 ''housepl'':5,46 ''indoor'':48 ''jim'':1,128 ''lack'':18 ''left'':47 ''light'':53,99,124 ''like'':17 ''littl'':33 ''make'':41 ''may'':49 ''mean'':22 ''miss'':146 ''much'':98 ''need'':38 ''option'':35,54,118,135,149 ''photosynthesi'':44 ''plant'':15,21,37,57,93 ''point'':115,144 ''possibl'':72 ''question'':75 ''rememb'':131 ''sign'':30 ''someth'':127 ''stay'':103 ''stop'':108 ''sunlight'':39,69 ''suppli'':129 ''two'':7,113 ''water'':24,34,66,110,117,133,147 ''week'':8,114 ''wilt'':11,26,59,111 ''within'':112 ''word'':142');
INSERT INTO public.discussion_search VALUES (8, '''-4'':95,154,166 ''1'':68,90,149,194,259,286 ''3'':51,124,190,225,231 ''admiss'':242 ''agre'':151,208,227 ''allow'':15,182 ''answer'':257 ''arriv'':78 ''ask'':44 ''bard'':97,229,248 ''booth'':25,54,74,100,136,156,197,212,253,274 ''bought'':22,176 ''cannot'':170 ''cashier'':133 ''check'':11,29,49,65,108,110,145,172,222,240 ''cinema'':3,57,81,131 ''claud'':128,210,246 ''dealt'':87 ''disagre'':92,126,163,244 ''entranc'':35,115,188,221 ''film'':19 ''first'':75 ''go'':70 ''gpt'':94,153,165 ''handl'':59,161 ''happen'':111 ''intend'':256 ''keep'':147,192 ''let'':121 ''list'':206 ''locat'':203 ''make'':271 ''mani'':130 ''option'':50,67,89,123,148,189,193,224,230,258,281,285 ''peopl'':69 ''person'':7 ''phrase'':178 ''place'':235 ''point'':185 ''question'':43,265 ''reflect'':261 ''relat'':202,280 ''return'':283 ''room'':41 ''screen'':40 ''sell'':213 ''separ'':144 ''simpler'':267 ''sold'':106 ''staff'':58 ''still'':250 ''theatr'':38,114,220 ''think'':251,263 ''ticket'':9,20,47,53,60,63,73,85,104,139,159,169,196,201,214,238,273,279 ''ticket-rel'':200,278 ''usher'':32,217 ''usual'':10 ''valid'':137 ''viewer'':119 ''watch'':17,184');
INSERT INTO public.discussion_search VALUES (9, '''-4'':122 ''2'':79 ''4'':36,59,133 ''agre'':106,117 ''ask'':87 ''bard'':83 ''bounc'':66,77,99 ''break'':33,98,128 ''brittl'':20 ''claud'':108,119 ''disagre'':81 ''drink'':7 ''drop'':68 ''evapor'':44 ''fall'':10,28,47,71 ''float'':41 ''floor'':17,24,52,104,127 ''glass'':8,18,38,61,70,96 ''gpt'':121 ''happen'':4,91,100 ''hard'':26,50 ''height'':31 ''like'':56,131 ''make'':110 ''melt'':42 ''might'':75 ''most'':101 ''onto'':14 ''option'':35,58,78,132 ''outcom'':115 ''probabl'':3,90,114 ''question'':86 ''shatter'':37,57,111 ''softer'':103 ''tabl'':13,30,74 ''thick'':63 ''tile'':16,23,51,94,109,126 ''usual'':32,97');
INSERT INTO public.discussion_search VALUES (10, '''-4'':69 ''10'':77 ''25'':93 ''4'':55 ''5'':37,64,115,123 ''7'':75 ''agre'':101,117 ''backyard'':11 ''best'':87 ''binocular'':38,72,104 ''cannot'':105 ''claud'':103,119 ''clear'':35 ''disagre'':66 ''distant'':52 ''dot'':85 ''elong'':84 ''eye'':27 ''first'':42 ''gpt'':68 ''look'':45 ''magnif'':32,95 ''magnifi'':51,73 ''mean'':97 ''modest'':31 ''nake'':26 ''need'':15,60,91,113 ''night'':48 ''object'':53 ''option'':36,54,63,114,122 ''planet'':58 ''resolv'':106 ''ring'':6,18,90,108 ''sam'':1 ''saturn'':8,16,81 ''see'':4,23,88 ''show'':33,80 ''sky'':49 ''small'':21 ''telescop'':29,62,99,111,121 ''time'':78,94 ''tool'':43 ''typic'':71 ''usual'':41 ''view'':57 ''want'':2');
INSERT INTO public.discussion_search VALUES (22, '''-4'':86 ''1.2'':75 ''12'':37 ''15'':66,69 ''18'':53,99,112,117 ''18.0'':81 ''20'':12,34,89 ''4'':47,52,62,65,80,98,111 ''60'':8,36,58,64,73 ''72'':43,51,97,110 ''72.0'':76,79 ''add'':10 ''agre'':101,114 ''among'':46 ''bard'':105 ''bill'':6,16,56 ''claud'':103,116 ''disagre'':83 ''dollar'':30,38,44,54 ''equal'':22 ''forgot'':107 ''four'':1 ''friend'':2,27,48,63,78 ''gpt'':85 ''includ'':94 ''much'':24 ''pay'':28,50,68 ''restaur'':5 ''share'':3 ''split'':19,45,96 ''tip'':13,32,72,90,109 ''total'':21,41,70 ''x'':74');
INSERT INTO public.discussion_search VALUES (11, '''-4'':129,144 ''1'':35,54,174,201 ''5'':70,124,139 ''agre'':126,176 ''anim'':39 ''art'':41,44 ''ask'':114,150 ''assembl'':167 ''back'':198 ''bard'':74,99,146 ''bone'':169,183 ''child'':4,153,193 ''children'':30,89 ''claud'':178 ''come'':106 ''complet'':16 ''dinosaur'':17,45,55,134 ''disagre'':72,141 ''display'':22,48,164 ''dug'':58 ''fossil'':61,76,130 ''found'':68,118,137 ''fragment'':82 ''full'':10,86,93,158,171,187 ''full-siz'':9,157,186 ''galleri'':42 ''gpt'':128,143 ''histori'':25,51 ''keep'':37 ''like'':6 ''live'':38 ''make'':100 ''may'':112 ''mount'':20,94 ''museum'':26,52,98,166,197 ''natur'':24,50 ''option'':34,53,69,123,138,173,200 ''point'':102 ''quarri'':62,79,108,131,180 ''question'':111,149 ''rare'':90 ''rock'':84 ''scatter'':182 ''see'':7,32,155,194 ''set'':165 ''show'':43 ''size'':11,159,188 ''skeleton'':12,18,46,56,87,95,105,135,160,172,189 ''someth'':191 ''switch'':121 ''tyrannosaurus'':15 ''usual'':31,81 ''visit'':91 ''would'':2,154 ''yield'':181 ''zoo'':36');
INSERT INTO public.discussion_search VALUES (12, '''-4'':108 ''3'':29,49,101 ''5'':69 ''address'':25,87 ''agre'':97,103 ''answer'':116 ''bard'':73 ''better'':67 ''call'':22,34,89,118 ''claud'':99,105 ''compani'':113 ''contact'':21 ''direct'':27 ''disagre'':71 ''done'':79 ''even'':8,56 ''feel'':4,17,52,66 ''friend'':24,36,91,120 ''gpt'':107 ''help'':64 ''involv'':37 ''lack'':19,112 ''lone'':5,44 ''loneli'':14,88,109 ''might'':9 ''morn'':82 ''natur'':94 ''often'':58 ''option'':28,32,48,68,100 ''peopl'':39,51 ''person'':45 ''respons'':95 ''rest'':61 ''sleep'':62,75 ''social'':20 ''someon'':1 ''someth'':78 ''want'':10,47,59 ''would'':46');
INSERT INTO public.discussion_search VALUES (13, '''-4'':117 ''2'':39,62,110,128 ''3'':80 ''agre'':106,112 ''alreadi'':68 ''ask'':88 ''bard'':84 ''claud'':108,114 ''clean'':51 ''cupboard'':49 ''dinner'':9,64 ''dirti'':6,28,40 ''disagre'':82 ''dish'':19,41,52 ''dishwash'':15,18 ''go'':42 ''goe'':101 ''gpt'':116 ''hand'':23 ''hold'':50 ''kitchen'':12 ''later'':78 ''leav'':74 ''mean'':96,122 ''move'':97,123 ''often'':73 ''option'':38,61,79,109 ''oven'':55 ''peopl'':72 ''place'':60 ''plate'':7,29,66,94,120 ''put'':4,31,92,118 ''question'':87 ''refriger'':57 ''sink'':26,34,45,104,127 ''somewher'':99,121 ''tabl'':71 ''wash'':21,37,47 ''without'':16 ''would'':2,91 ''wrong'':59');
INSERT INTO public.discussion_search VALUES (14, '''-4'':139 ''115'':77,90,105 ''120'':45,51,66,85,91,109 ''135'':37,50,59,103,147 ''2'':11,44,64,84 ''235'':92 ''255'':52,70,114,132,152 ''3'':6,36,57,76,101,127,144 ''45'':17,34,54,74,99,125,142 ''60'':20,42,61,82 ''ad'':67 ''agre'':116,134 ''bakeri'':2,27,150 ''bard'':97,119 ''bring'':32,40 ''claud'':118,136 ''cooki'':9,21,39,62,80,108 ''correct'':129 ''disagre'':95 ''dollar'':24,38,46,53,78,86,93,110 ''error'':122 ''give'':69 ''gpt'':138 ''made'':151 ''make'':28,73,81 ''mani'':23 ''miscalcul'':141 ''muffin'':4,18,31,55,72 ''saturday'':14,30 ''sell'':3 ''sold'':16 ''togeth'':87 ''total'':48,112,130 ''x'':35,43,75,83,100,126,143');
INSERT INTO public.discussion_search VALUES (15, '''-4'':103,151,178,256,285 ''12'':205,223 ''150'':50,60,93,119,266,271,294 ''18'':3,33,65,76,85,112,138,143,156,189,238,262 ''2'':38,43,88,263 ''21'':74,78,140,163,244 ''3'':23,55,58,70,95,121,269,299 ''30'':8,45,90,109,193,199,265,292 ''378'':79,145,167,173,211,220,247,251 ''450'':61,97,124,213,224,230,272,277 ''450.0'':302 ''5'':27,31,83,260 ''6'':201,221 ''60'':46,91,118 ''72'':208,212 ''90'':34,86,117 ''agre'':215,253,274,280 ''amount'':188,243 ''answer'':149,228 ''bard'':180 ''chang'':171 ''check'':219 ''claud'':217,234,276,282 ''confirm'':225 ''daili'':135,160,187,242 ''day'':12,40,68,75,107,141,164,196,203,245,290 ''differ'':186 ''disagre'':100,175,232 ''distractor'':132 ''drop'':200 ''everi'':5 ''extra'':206 ''give'':57,123,246 ''gpt'':102,150,177,255,284 ''ignor'':197 ''keep'':147,250 ''lena'':1 ''mani'':17 ''may'':152 ''miss'':287 ''page'':4,9,18,35,47,51,62,66,80,98,110,129,139,144,157,168,207,209,239,248,267,278,293,295 ''per'':52,296 ''problem'':183 ''read'':2,21,30,42,64,136,161,258 ''right'':154 ''state'':184 ''think'':126 ''total'':115 ''two'':185 ''week'':24,53,56,71,82,96,114,122,257,297,300 ''weekday'':6,28,191 ''weekend'':15,39,106,128,195,202,289 ''x'':32,44,59,77,84,89,142,204,222,261,264,270');
INSERT INTO public.discussion_search VALUES (16, '''-4'':128 ''10'':121 ''12'':4,34,67 ''210'':98 ''22'':49,64,107,135 ''24'':9,36,69 ''256'':78,83 ''266'':45,48,61,94,106,133 ''288'':37,47,55,70,82,105 ''30'':95 ''32'':84 ''38'':17,42,60,75,91,115,129 ''56'':103 ''7'':23,44,58,77,93,97,102,117,131 ''8'':100 ''agre'':109,123 ''bard'':89,112 ''box'':5,13 ''class'':21,73 ''claud'':111,125 ''disagre'':87 ''get'':22 ''given'':56 ''gpt'':127 ''leav'':81 ''left'':29,52,62,138 ''mani'':26 ''multipl'':114 ''order'':3 ''pencil'':7,10,24,27,38,46,50,54,71,79,85,136 ''plus'':99 ''receiv'':41 ''school'':2,32 ''student'':18,40 ''total'':53 ''use'':74 ''x'':35,43,59,68,76,92,96,101,116,130');
INSERT INTO public.discussion_search VALUES (17, '''+10'':148 ''-15'':66,150 ''-25'':64,146 ''-4'':101,229 ''0.75'':119,190 ''0.85'':95 ''1.1'':192 ''1.10'':124 ''10'':15,47,65,86 ''12'':71,78 ''15'':67,90,195 ''20'':37 ''25'':10,34,82 ''6'':50,57,174,215 ''60'':43,49,56,120,122,169,210 ''66'':58,125,179,193,222,230 ''68'':79,96,152 ''8'':217 ''80'':4,36,69,77,93,117,188 ''ad'':19,126,163 ''add'':85 ''agre'':154,181,201,224 ''appli'':108,132 ''bard'':103,183,205 ''base'':136,208 ''chang'':62 ''claud'':156,203,226 ''combin'':140 ''cost'':3 ''disagre'':98 ''discount'':32 ''dollar'':30,44,51,59,80,231 ''factor'':186 ''final'':27,53,74,219 ''give'':149,187 ''gpt'':100,228 ''jacket'':2 ''multipli'':184 ''net'':61 ''origin'':115 ''overal'':92 ''overst'':197 ''percentag'':127,142 ''price'':23,28,41,54,75,112,116,167,220 ''problem'':158 ''sale'':8,16,22,40,111,166 ''say'':159 ''shortcut'':196 ''still'':138 ''take'':81 ''tax'':17,45,87,106,161,172,199,207,213 ''think'':139 ''total'':177 ''valid'':144 ''work'':129 ''x'':94,118,123,189,191');
INSERT INTO public.discussion_search VALUES (18, '''-4'':153 ''10'':54,68,98,102,115,133 ''2'':44,90 ''20'':11,40,43,46,51,63,74,89,92,95 ''2d'':47,50,64 ''2x'':94 ''30'':80 ''4'':3,131 ''40'':48,57,65,71,134,146,165 ''4d'':38,42,60,62 ''4x'':88 ''60'':78 ''age'':32,87,120,128,160 ''agre'':104,136,148 ''answer'':100,113,155 ''ask'':124 ''bard'':106,139 ''check'':72 ''claud'':138,150 ''d'':34,45,53,67 ''daughter'':9,30,85,118,143,158 ''equat'':108 ''final'':112 ''give'':66 ''gpt'':152 ''let'':28,81 ''mistak'':162 ''old'':6,18,24 ''question'':123 ''set'':58 ''solv'':140 ''time'':4 ''tom'':1,26,36,55,59,70,126,129,144,163 ''twice'':16 ''x'':82,91,97,114,132 ''year'':12,41,75');
INSERT INTO public.discussion_search VALUES (19, '''-4'':131 ''112.5'':78 ''120'':88 ''150'':35,45,57,116 ''2'':20,41,84,112 ''2.5'':10,34,74,106 ''232.5'':91 ''240'':47,66,118,123,143 ''45'':15,39,71,109 ''60'':5,32,81,102 ''90'':42,46,60,117 ''agre'':120,126 ''bard'':96 ''claud'':122,128 ''disagre'':94 ''distanc'':49,64 ''first'':30 ''give'':115 ''goe'':70,104 ''gpt'':130 ''hour'':8,11,18,21,75,85,107,113 ''leg'':56 ''mani'':23 ''mile'':6,16,24,36,43,48,58,61,67,79,89,92,124 ''mph'':72,82,103,110 ''pair'':133 ''part'':31,38 ''per'':7,17 ''second'':37 ''speed'':51,99,135 ''swap'':101 ''time'':52,53,139 ''total'':29,44,63,90,141 ''train'':2,69 ''travel'':3,27 ''wrong'':138 ''x'':33,40');
INSERT INTO public.discussion_search VALUES (20, '''-4'':135 ''1'':9,46,50,55,61,63,73,76,89,91,104,108,117,123,125,153,209,211 ''1.2'':49 ''2'':57 ''20'':17,101 ''250'':10,47,62,74,75,90,105,118,124,210 ''3'':66,94,128,161,182,203,214 ''3500'':221 ''375'':95,129,183 ''500'':51,56,64,67,77,92,109,126,154,162,204,212,215 ''625'':86,93,121,127 ''750'':58,65,156,198,213 ''agre'':185,206,218 ''back'':173 ''bard'':137,208 ''claud'':187,220 ''disagre'':132 ''farmer'':2 ''field'':5,40,45,54,71,99,113,141,147,177 ''first'':7,21,85,150,176 ''give'':100,114 ''gpt'':134 ''half'':26,82,115,143,151,165,191 ''keep'':181 ''kg'':11,52,59,68,78,87,96,110,122,130,199,216,222 ''kilogram'':34 ''mani'':33 ''much'':28,167,193 ''problem'':189 ''read'':164 ''refer'':172 ''say'':190 ''second'':15,31,44,70,98,146,170,196 ''third'':24,53,80,112,140 ''three'':4,39 ''total'':43,60,88,159,201 ''wheat'':13,36 ''x'':48 ''yield'':8,16,25,41,72,81,179');
INSERT INTO public.discussion_search VALUES (21, '''-4'':155 ''1'':63,82,115,168 ''100'':52,62,78,136,164 ''12'':3,31,36,56,60,75,85,89,111,142 ''1200'':140,148 ''140'':107 ''200'':64,83,169 ''25'':70,73 ''3'':51 ''300'':47,50,76,134 ''420'':102 ''5'':8,12,38,46,67,69,91,125,159 ''60'':39,44,92 ''680'':116 ''7'':99,130 ''agre'':145,150 ''bard'':121 ''claud'':147,152 ''daili'':33 ''day'':11,13,95,100,126,160 ''disagre'':119 ''dollar'':93,103,108,117 ''earn'':2,88 ''gpt'':154 ''hour'':5,9,66 ''maya'':1 ''money'':26 ''much'':25 ''one'':18,104 ''pay'':23,34,42,72,132 ''per'':4,79,137,165 ''save'':17,29,49,59,77,135,163 ''third'':19,105 ''total'':171 ''week'':15,22,32,41,54,57,65,71,80,86,97,112,128,131,138,143,166 ''work'':7,124,157 ''x'':37,45,61,68,74,90');
INSERT INTO public.discussion_search VALUES (23, '''-4'':95,156,172,204 ''1'':4 ''1.8'':76,92 ''1.80'':14,52,69,149,189 ''12.5'':66,74,116 ''14'':10,46,65,87,183 ''175'':31,40,58,64,100 ''2'':38 ''22.5'':77,119,125 ''25'':47,50,88,90,146,184,187 ''350'':41,45,84,86,144,163,181 ''45'':53,93,151,166,190,197,205 ''agre'':153,169,192,199 ''answer'':131,159 ''away'':33 ''back'':82 ''bard'':174,196 ''car'':2,62 ''chang'':123 ''citi'':30 ''claud'':194,201 ''correct'':158 ''cost'':13,23,49,118 ''could'':108 ''count'':110 ''disagre'':127 ''distanc'':56,102,139 ''dollar'':19,54,78,120,167,206 ''doubl'':142 ''earlier'':130 ''everi'':9 ''fuel'':7,12,22,43 ''given'':104 ''go'':79 ''gpt'':94,155,171,203 ''km'':11,32,42,59,85,101,145,164,182 ''liter'':5,16,48,67,71,89,117,147,185 ''mani'':18 ''mean'':162 ''must'':140 ''one'':111 ''overlook'':176 ''per'':15,70 ''question'':133 ''read'':97,115 ''round'':26,35,135,160,179 ''say'':134 ''trip'':27,36,107,136,161,180 ''use'':3,44,63,98 ''way'':112 ''word'':178 ''x'':39,51,75,91,188');
INSERT INTO public.discussion_search VALUES (24, '''-4'':89,139 ''1/4'':11,33,98,104 ''12'':30,40,42,47,70,84,110,129,140 ''15'':66 ''20'':52,57,64,76,83,108 ''3/8'':7,27,43 ''32'':5,29,35,39,45,82,100,123 ''5'':60,65 ''8'':36,41,73,102,126 ''agre'':115,134 ''bike'':13,31,62,74,127 ''bus'':19,25,37,69,81,113,132 ''class'':3,97 ''claud'':117,136 ''disagre'':86 ''fraction'':92,119 ''gpt'':88,138 ''leav'':51 ''mani'':21 ''quarter'':54 ''refer'':120 ''remain'':107 ''rest'':16 ''ride'':12,61 ''rider'':32,38 ''school'':10 ''student'':6,22,48,124 ''take'':17,23,67,79,111,130 ''walk'':8,50,71 ''walker'':26 ''whole'':96 ''x'':28,34');
INSERT INTO public.discussion_search VALUES (25, '''-4'':118,196,211,266,274,322 ''1'':4,33,57,82,85,100,142,145,163,187,190,205,215,240,253,256,267,289,292,311,314,332 ''100'':58,101,146,164,241,293,315 ''200'':49,56,70,84,94,121,139,176,189,198,220,229,251,255,284,326 ''300'':86,191,206,216,257,268,333 ''40'':10,31 ''400'':140,144,232,286,291,313 ''500'':5,34,83,143,188,254,290,312 ''600'':36,47,63,88,138,225,249,282 ''900'':40,55,93 ''agre'':193,263,295 ''answer'':161,261,337 ''back'':129,152,231 ''bard'':148,213,276 ''book'':6,20,25,37,59,64,87,89,105,125,134,150,174,181,199,221,269,280,303,307,327 ''came'':230 ''cannot'':109 ''chang'':200,324 ''claud'':168,245,297,319 ''count'':107,158 ''disagre'':115,166,208,243,271,317 ''give'':81,110 ''gpt'':117,195,210,265,273,321 ''hold'':239 ''instead'':304 ''involv'':325 ''keep'':259,335 ''later'':14 ''leav'':39,92 ''left'':226,283 ''lent'':8,19,38,62,91,173 ''librari'':2,29,43,52,61,132,203,238,330 ''loan'':310 ''make'':99 ''mani'':24 ''matter'':183 ''mean'':218 ''number'':113 ''one'':15,44,66,73,169,246 ''origin'':80 ''return'':22,50,96,104,124,149,186,285,302 ''shelv'':155 ''singl'':112 ''still'':135,234,287,308 ''subtract'':76,300 ''third'':16,45,67,170,247 ''track'':75,278 ''would'':98,217');
INSERT INTO public.discussion_search VALUES (26, '''12'':16,31,50,69 ''28'':45,64,75 ''3'':4,37,44,59,74 ''7'':11,29,47,66 ''84'':32,43,53,55,71,73 ''bake'':26,42 ''baker'':2 ''buy'':10 ''cake'':8,23,35,46,62,65 ''carton'':12,20,48,67 ''divid'':57 ''egg'':5,14,17,33,38,51,54,56,60,70,72 ''make'':52 ''mani'':22 ''need'':36 ''per'':61 ''use'':3 ''x'':30,68');
INSERT INTO public.discussion_search VALUES (27, '''000'':32,46,75 ''1'':31,45,74 ''10'':70,76 ''100'':77 ''1000'':55 ''12'':10,39,67 ''2'':69 ''20'':41,47,52,56,99,125 ''50'':48,57,104,110,133 ''8'':18,40,68 ''add'':95 ''agre'':107,113 ''averag'':60,98 ''bard'':82 ''claud'':109,115 ''combin'':50 ''deliv'':9,17,38 ''disagre'':80 ''fill'':3,29 ''first'':8 ''give'':103 ''hose'':2,37,65,86,117 ''l/min'':53 ''liter'':11,19,33,42,71,100,126 ''mani'':23 ''minut'':13,21,24,44,49,58,73,78,102,105,111,128,134 ''per'':12,20,43,72,101,127 ''pool'':5,34 ''pour'':118 ''rate'':51,61,94,123 ''rather'':96 ''run'':87 ''second'':16 ''simultan'':120 ''take'':27 ''time'':54,91,131 ''togeth'':6,35 ''two'':1,64,85 ''water'':119');
INSERT INTO public.discussion_search VALUES (28, '''-4'':226 ''1'':123 ''10'':50,59,104,178,210,253 ''28'':120,198 ''29'':7,29,90,115,170,239 ''4'':73 ''40'':27,68,83,101,110,181,214,219,249 ''40th'':45 ''actual'':14,63,157,207,235 ''age'':19,100,144,248 ''agre'':188,221 ''answer'':184 ''appear'':171 ''around'':58 ''ask'':232 ''bard'':148,191 ''birth'':15,42,158,208 ''birthday'':11,60,141,154 ''born'':4,87,112 ''calendar'':167 ''celebr'':117,161,195 ''centuri'':76 ''claud'':190,223 ''come'':36 ''common'':125 ''date'':16,64,93,159,168,209,236 ''day'':52,165,212 ''disagre'':146 ''everi'':38,72,96,133,244 ''except'':77 ''exist'':31 ''far'':65 ''februari'':6,28,89,114,119,169,197,238 ''fewer'':10,66,108,140,217 ''four'':39,245 ''fourth'':97 ''gpt'':225 ''leap'':33,51,69,174,211 ''march'':122 ''matter'':81 ''occur'':71,240 ''occurr'':105 ''older'':132 ''one'':130 ''peopl'':111 ''person'':3,55,86 ''point'':193 ''question'':151,204,230 ''remain'':185 ''reread'':228 ''rough'':37,252 ''see'':91 ''social'':201 ''specifi'':205 ''still'':128 ''substitut'':164 ''time'':24,179,254 ''true'':200 ''turn'':26,129 ''usual'':116 ''within'':82 ''would'':1 ''year'':21,34,40,46,70,74,84,98,126,131,134,175,182,215,246 ''yes'':186,256');
INSERT INTO public.discussion_search VALUES (29, '''-4'':118 ''148'':141,177 ''149'':31,202 ''165'':20,195 ''168'':133 ''170'':171 ''29'':73,103,139,174 ''30'':94 ''510'':127,165 ''71'':48 ''agre'':155,188 ''alon'':38 ''among'':57 ''answer'':151 ''area'':7,28 ''around'':132,194 ''bard'':143 ''bit'':109 ''claud'':157,190 ''close'':76 ''combin'':14,186 ''cover'':18,46,92,101,193 ''disagre'':115 ''earth'':11,24,50,97,123 ''five'':58 ''gpt'':117 ''kilometr'':23,34,130,168,198 ''land'':13,27,44,70,80,100,113,185,200 ''larger'':5,40,83,110,182,208 ''largest'':89 ''million'':21,32,128,134,142,166,172,178,196,203 ''number'':161 ''ocean'':4,17,45,59,86,90 ''one'':162 ''pacif'':3,16,37,61,85,106,180,192,206 ''percentag'':145 ''point'':146 ''redo'':159 ''rough'':19,63 ''slight'':82 ''split'':56 ''squar'':22,33,129,167,197 ''surfac'':52,68,99,125 ''think'':79 ''third'':65,121,163 ''total'':26 ''way'':149 ''yes'':153');
INSERT INTO public.discussion_search VALUES (30, '''0.05'':68 ''1'':27 ''10'':78 ''280'':47 ''3'':55 ''3.6'':35 ''6'':57 ''7'':86 ''around'':67 ''close'':45 ''cover'':18,39,91,115 ''day'':79 ''easili'':110 ''even'':80 ''finish'':6,53,62,83,111 ''first'':63 ''garden'':11,22 ''hour'':38,48,58,87,98,104 ''kilometr'':20,41,74,117 ''km/h'':69 ''less'':71 ''marathon'':4,51,82,100 ''mayb'':92 ''metr'':36,95 ''millimetr'':28 ''move'':13,24 ''one'':19,40,73 ''per'':29,37 ''race'':8 ''runner'':5,52,61,107,109 ''second'':30 ''slow'':81 ''snail'':12,23,64,90,114 ''speed'':17 ''take'':43,75,101 ''top'':16,65 ''typic'':3,50 ''well'':76 ''within'':84 ''would'':1,42 ''yes'':88');
INSERT INTO public.discussion_search VALUES (31, '''-4'':208,233,312 ''1440s'':40 ''1st'':71 ''44'':13,295 ''700'':262 ''7th'':30,290 ''ad'':32,292 ''agre'':205,277,307 ''along'':102 ''ancient'':88,169,219 ''answer'':155,198,303 ''anywher'':272 ''appear'':287 ''around'':28,288 ''attest'':26 ''bard'':121,159,235 ''bc'':14,73,296 ''began'':18 ''book'':8,17,50,82,141,270,326 ''caesar'':3,10,41,52,94,132,224,265,317 ''came'':314 ''centuri'':31,72,130,291,315 ''chang'':196 ''check'':281 ''china'':24,89,109,178,213 ''chines'':170,216 ''claim'':238 ''claud'':279,309 ''confid'':203 ''connect'':106 ''contact'':209 ''copi'':58 ''could'':1,42,76,113,189,320 ''date'':37,256 ''death'':267 ''depend'':239 ''die'':11 ''disagre'':119,230 ''dynasti'':99,135,260 ''earliest'':124 ''even'':142 ''evid'':125 ''exist'':66,181,214,242,271 ''fair'':162 ''gpt'':207,232,311 ''gutenberg'':34 ''han'':98,134,177,184,245 ''hand'':57 ''hand-copi'':56 ''handwritten'':46,153 ''invent'':86,171 ''item'':188 ''julius'':2,9 ''later'':20 ''lifetim'':275 ''live'':95 ''long'':293 ''low'':202 ''much'':19 ''old'':93 ''oldest'':252 ''paper'':137 ''papyrus'':60 ''period'':185,246 ''plausibl'':190 ''point'':163 ''possibl'':222 ''press'':36 ''print'':7,15,22,62,81,84,111,128,140,166,180,187,217,227,241,255,269,286,313,325 ''rais'':160 ''reach'':116,147,192 ''read'':5,45,79,323 ''road'':105 ''rome'':68,107,148,173,193,211 ''rough'':261 ''saw'':225 ''scroll'':47,61 ''silk'':104 ''still'':157 ''surviv'':253 ''switch'':301 ''tang'':259 ''technolog'':63 ''text'':112,145,228 ''therefor'':74,114 ''time'':54 ''timelin'':283 ''trade'':101,175 ''woodblock'':21,83,127,165,254,285 ''would'':150 ''wrong'':299 ''year'':263 ''yes'':200');
INSERT INTO public.discussion_search VALUES (32, '''-4'':172 ''100'':8,48,74,111,190 ''68'':64 ''70'':43,147 ''71'':66 ''affect'':155 ''agre'':150,167 ''air'':20,119 ''altitud'':78 ''ambient'':153 ''around'':42 ''atmospher'':51 ''bard'':116 ''beyond'':100 ''boil'':3,16,40,55,62,72,93,103,109,127,130,160,179,188 ''bring'':89,142 ''c'':9,44,49,67,75,112,148,191 ''chang'':120 ''claud'':152,169 ''cold'':118 ''colder'':82 ''confus'':174 ''depend'':18 ''disagre'':114 ''energi'':85 ''everest'':15,26,58,107,141 ''fall'':163 ''gpt'':171 ''heat'':99,123,156,175 ''high'':77 ''level'':36 ''long'':122 ''low'':138 ''lower'':50,53,181 ''mean'':186 ''mount'':14 ''much'':81 ''near'':63 ''need'':87 ''point'':17,56,104,131,161,180 ''pressur'':21,28,37,52,135,139,165,182 ''sea'':35 ''sea-level'':34 ''set'':133 ''summit'':12,24,60,185 ''take'':124 ''temperatur'':6,128,154 ''therefor'':39 ''third'':32 ''time'':157,176 ''usual'':102 ''water'':2,38,61,90,95,108,187 ''well'':46');
INSERT INTO public.discussion_search VALUES (33, '''-4'':113 ''10'':51,57,69,83,95,134,159,172 ''16'':36,53,87,131,153,167 ''5'':43,74 ''8'':30,33,65,77 ''agre'':137,164 ''bard'':141 ''basketbal'':23,40,67,99 ''black'':34 ''chess'':9,27,63,91 ''claud'':139,166 ''colour'':129 ''count'':144 ''court'':20,49,73,100,162 ''disagre'':110 ''enough'':11,81,107,156 ''everi'':16 ''full'':150 ''game'':24,41 ''give'':13 ''gpt'':112 ''includ'':127 ''number'':3 ''one'':14,123,145 ''pawn'':5,35,66,78,88,108,132,148,168 ''per'':45,75 ''player'':17,44,52,70,84,96,135,160,173 ''question'':116 ''set'':10,28,92,121,126,151 ''side'':61,124,146 ''standard'':8,26 ''team'':46,76 ''time'':103 ''total'':38 ''white'':31 ''whole'':120 ''yes'':59');
INSERT INTO public.discussion_search VALUES (34, '''-4'':94 ''15'':213 ''17'':222 ''1900s'':139 ''1902'':71,104,126 ''1903'':22,84,111,174,224 ''1910s'':60 ''1911'':167 ''1912'':28,102,162,196,215 ''agre'':131,180,204 ''answer'':144,153,176,185 ''april'':27,195,214 ''around'':48 ''bard'':96,124,182,208 ''becam'':56 ''believ'':62 ''brother'':8,14,78,219 ''came'':31,65,115,122 ''centuri'':53 ''claud'':154,206 ''clear'':114 ''confid'':147 ''correct'':184 ''decemb'':21,223 ''disagre'':91,149 ''earli'':138 ''earlier'':35,152 ''early-1900s'':137 ''edwardian'':43 ''edwardian-era'':42 ''eight'':33 ''era'':44 ''first'':9,17,66,89,116,123,170,228 ''flew'':79,220 ''flight'':11,19,30,55,108,113,171,226 ''give'':125 ''gpt'':93 ''hawk'':82,107,201 ''keep'':142 ''kitti'':81,106,200 ''launch'':165 ''liner'':45 ''made'':15 ''maiden'':74,189 ''memori'':134 ''moder'':146 ''nine'':197 ''power'':10,18,54 ''practic'':57 ''right'':156 ''sank'':25,47,69,88,100,160,211 ''sinc'':168 ''sink'':4,64,121,140,192 ''still'':118 ''think'':119 ''titan'':3,24,39,68,87,99,129,159,187,210 ''turn'':50 ''voyag'':75,190 ''wright'':7,13,77,218 ''year'':34,198');
INSERT INTO public.discussion_search VALUES (35, '''-4'':171 ''africa'':62 ''agre'':147,166 ''almost'':28 ''america'':61 ''answer'':112 ''antarctica'':59 ''arctic'':21,73,127,136,180 ''australia'':63 ''bard'':116 ''bear'':9,16,68,99,131,164 ''cannot'':50,109 ''check'':172 ''claud'':149,168 ''cold'':90,102 ''confin'':70 ''could'':1 ''determin'':110 ''disagre'':114 ''entir'':29 ''equat'':40 ''even'':150 ''everi'':173 ''found'':57 ''galapago'':36,156 ''gpt'':170 ''habitat'':14,80 ''hemispher'':25,33 ''kilometr'':160 ''know'':105 ''live'':17,27,88,94,100,124,132,177 ''mani'':83 ''matter'':120 ''meet'':10,51,184 ''natur'':13,79 ''near'':38 ''never'':46 ''new'':65 ''none'':176 ''northern'':24 ''northernmost'':43,152 ''other'':93 ''overlap'':47,77,144 ''penguin'':4,26,37,55,84,122,153,174 ''place'':91,97,103 ''polar'':8,15,67,98,130,163 ''possibl'':187 ''rang'':45,141 ''south'':60,133 ''southern'':32 ''speci'':85,107,119,123,139,175 ''thousand'':158 ''warm'':96 ''whatev'':137 ''wild'':3,7,54,183 ''without'':104 ''zealand'':66');
INSERT INTO public.discussion_search VALUES (36, '''-4'':129,305,368 ''100'':16,51,78,216,253,283,296,353 ''108'':45,330 ''109'':153 ''112'':210 ''12'':62,170,376 ''1440'':141 ''15.5'':30,245 ''15.6'':145 ''16'':199,289 ''2'':163,235,347,372 ''24'':85 ''400'':226 ''7'':40,106,150,205,250 ''84'':72,177,383 ''92'':26,136,142,232 ''aboard'':7 ''agre'':183,218,285 ''also'':125 ''altitud'':168 ''answer'':181,338,388 ''around'':288,346 ''ask'':115 ''astronaut'':3,79 ''bard'':111,220,259 ''believ'':156,340 ''chang'':386 ''circl'':195 ''claud'':185,257,287 ''closer'':161 ''complet'':21 ''consist'':370 ''count'':323 ''crew'':121 ''day'':33,41,65,95,97,147,173,202,206,248,251,292,379 ''disagre'':109,126,255,302 ''earth'':55,100,197,222,273 ''estim'':280 ''even'':260 ''everi'':57,307 ''exact'':310 ''exceed'':252 ''expect'':278 ''experi'':93 ''fewer'':76,351 ''give'':28,293,350 ''gpt'':128,304,367 ''greenwich'':89 ''happen'':267 ''higher'':242 ''hour'':59,86,140,164,236,348,373 ''howev'':317 ''includ'':36 ''intern'':9 ''iss'':20,53,82,132,167,194,342 ''keep'':83,179,336 ''km'':227 ''last'':321 ''like'':98 ''long'':318 ''longer'':276,361 ''low'':221 ''mean'':90,104 ''minut'':27,137,233 ''much'':241 ''near'':231 ''need'':239 ''number'':326 ''one'':5,22,37,94,311 ''orbit'':17,23,31,35,54,63,117,158,171,191,223,243,290,308,328,343,365 ''pass'':12 ''passag'':312 ''per'':32,64,96,146,172,291,378 ''period'':133,159,230,237,264,344,366 ''question'':114,188 ''rough'':29 ''said'':371 ''schedul'':87,123 ''see'':208 ''shadow'':275,314,320 ''shorter'':263 ''space'':10 ''spend'':4 ''station'':11,270 ''stay'':281 ''still'':155 ''sunlight'':316 ''sunris'':18,38,46,73,107,118,192,211,246,266,297,354,377 ''sure'':362 ''time'':91,149,200,249 ''total'':175,381 ''two'':58,139 ''week'':6,68,103,300,333,357 ''would'':1,238 ''yes'':334');
INSERT INTO public.discussion_search VALUES (37, '''-4'':110,192,242 ''1893'':54 ''acknowledg'':152 ''agre'':141,189,217,237 ''answer'':160,245 ''argument'':222 ''ask'':128 ''bard'':112,220 ''bear'':16 ''berri'':44,254 ''botan'':5,9,131,156,159,215,235,249 ''botani'':125,193 ''call'':47 ''classif'':132,177 ''classifi'':4,98,194 ''claud'':143,166,219,239 ''concern'':147 ''contain'':35 ''cook'':52 ''court'':58,97,116 ''culinari'':225,247 ''develop'':19,28 ''disagre'':107,164 ''dish'':75 ''duti'':149 ''eaten'':70 ''everyday'':122 ''exclud'':232 ''explicit'':151 ''flower'':25,31,210 ''fruit'':11,41,139,157,214 ''gpt'':109,191,241 ''hedden'':63,146 ''import'':148 ''keep'':186 ''law'':171 ''legal'':227 ''nix'':61,144 ''ovari'':22,33,207 ''peopl'':168 ''plant'':182,196 ''question'':127,231,248 ''ripen'':206 ''rule'':59,117 ''salad'':92 ''sauc'':94 ''savouri'':74 ''say'':234 ''section'':88 ''seed'':15,36 ''seed-bear'':14 ''sold'':84 ''specif'':42,129 ''structur'':17,197 ''suprem'':57,96,115 ''tariff'':120 ''tomato'':3,27,65,68,82,136,154,173,203,251 ''treat'':172 ''us'':56 ''usag'':123,228 ''use'':90,184,200 ''v'':62,145 ''veget'':8,49,67,72,81,87,101,105,175,260 ''yes'':77,187');
INSERT INTO public.discussion_search VALUES (38, '''-4'':101,210 ''000'':24,36,56,66,83,90,112,116,126,150,178,189,195,219 ''100'':35,55,115 ''150'':177,188 ''200'':125 ''390'':23,149,194,218 ''400'':111 ''80'':82 ''90'':89 ''99'':65 ''agre'':139,207 ''alon'':121 ''answer'':203 ''area'':120 ''around'':34,81 ''ask'':199 ''bard'':103,185 ''big'':86 ''camp'':61 ''claud'':141,159,212 ''close'':109 ''could'':1,40,71 ''countri'':50 ''disagre'':98,157,183 ''entir'':3 ''even'':128,187,220 ''far'':225 ''fit'':7,42,74,96 ''footbal'':15,28 ''gpt'':100,209 ''held'':175 ''hold'':132 ''iceland'':6,17,46,75,105,167 ''insid'':8 ''keep'':180 ''larg'':14,57 ''largest'':27,130,222 ''mani'':155 ''metropolitan'':119 ''much'':163 ''near'':217 ''nou'':62 ''number'':165 ''one'':44 ''peopl'':25,84,127 ''popul'':4,20,39,53,70,77,107,145,216 ''quarter'':135 ''question'':198 ''recal'':161 ''reykjavik'':117 ''room'':173 ''rough'':133,148 ''seat'':10,33,63,88,153,201 ''singl'':13 ''small'':49,80,227 ''smaller'':164 ''spectat'':190 ''stadium'':16,29,45,58,87,131,152,170,223 ''stand'':172 ''therefor'':93 ''underestim'':143 ''well'':192 ''whole'':69 ''world'':32 ''would'':95 ''yes'':181');
INSERT INTO public.discussion_search VALUES (39, '''-4'':96,241 ''1452'':18,103,179,217 ''1480s'':54 ''1490s'':198 ''1492'':28,58,85,124,185,205,234 ''1495'':227 ''1498'':229 ''1500'':71 ''1500s'':79 ''1503'':116 ''1519'':20,107,219 ''15th'':149 ''15th-century'':148 ''40'':31,244 ''51'':122 ''activ'':203 ''agre'':160,187,208,236 ''aliv'':5,64,183,232 ''alreadi'':120 ''also'':199 ''america'':12,25,83 ''answer'':155 ''around'':115 ''artist'':151 ''bard'':98,189,212 ''began'':111 ''believ'':49 ''birth'':174 ''born'':69,89,101,177 ''centuri'':150 ''christoph'':7 ''claud'':139,162,210,238 ''columbus'':8,21,55,80,246 ''confid'':158 ''confus'':164 ''contemporari'':145 ''convinc'':137 ''da'':3,14,40,66 ''date'':166,215,224 ''die'':51,105 ''disagre'':93 ''earli'':44 ''earlier'':147 ''figur'':46 ''first'':9,22 ''franc'':109 ''fulli'':136 ''gpt'':95,240 ''keep'':153 ''land'':247 ''last'':191,222 ''leonardo'':2,13,29,39,60,65,87,99,142,172,201,213,242 ''lisa'':76,114,170 ''live'':16 ''longer'':63 ''low'':157 ''ludovico'':131 ''milan'':128,195 ''mona'':75,113,169 ''octob'':27 ''old'':33 ''paint'':73,193 ''reach'':10,23,81 ''rememb'':141 ''renaiss'':45 ''sail'':56 ''sforza'':132 ''show'':200 ''supper'':192,223 ''time'':36 ''vinci'':4,15,41,67 ''work'':129 ''year'':32 ''yes'':38,206');
INSERT INTO public.discussion_search VALUES (40, '''-4'':120,176,197,253 ''100'':148 ''20'':66 ''50'':68 ''agre'':173,194,230,248 ''also'':116 ''answer'':226,235,255 ''avoid'':81,167,186 ''bard'':106 ''buckwheat'':7,22,47,85,99,108,128,149 ''chang'':224 ''claud'':143,232,250 ''common'':179 ''consid'':239 ''contain'':40,52,58,96,101,126 ''contamin'':201 ''could'':1 ''cross'':200 ''cross-contamin'':199 ''despit'':19 ''diet'':18,76,164,192,221,246 ''dietari'':208 ''disagre'':104,117,141 ''equip'':154 ''even'':144 ''exclud'':138 ''famili'':38 ''flour'':8,48,64,129 ''free'':17,75,163,191,220,245 ''general'':78 ''gluten'':16,42,54,74,97,102,162,190,219,244 ''gluten-fre'':15,73,161,189,218,243 ''gpt'':119,175,196,252 ''guidanc'':159,209 ''keep'':170 ''knotwe'':37 ''label'':146 ''larg'':60 ''made'':4,44,152,180 ''name'':21,93 ''noodl'':3,43,56,125,145 ''often'':65 ''part'':12 ''peopl'':70 ''percent'':69 ''plant'':34 ''practic'':207 ''pseudocer'':111 ''question'':122 ''real'':204 ''relat'':25 ''revis'':234 ''risk'':205 ''safe'':240 ''say'':94,123,165 ''seed'':31 ''share'':61,136,155 ''soba'':2,55,82,100,168,177,211,236 ''strict'':217 ''therefor'':51 ''told'':79 ''treat'':210 ''type'':88 ''unsaf'':213 ''usual'':57,134,151 ''water'':10,50,131 ''wheat'':27,63,90,95,114,135,157,182 ''yes'':139');


--
-- Data for Name: edge; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.edge VALUES (1, 4, 0, 1);
INSERT INTO public.edge VALUES (1, 4, 1, 2);
INSERT INTO public.edge VALUES (1, 4, 2, 3);
INSERT INTO public.edge VALUES (1, 5, 0, 1);
INSERT INTO public.edge VALUES (1, 5, 1, 2);
INSERT INTO public.edge VALUES (1, 5, 2, 3);
INSERT INTO public.edge VALUES (1, 6, 0, 1);
INSERT INTO public.edge VALUES (1, 6, 1, 2);
INSERT INTO public.edge VALUES (1, 6, 2, 3);
INSERT INTO public.edge VALUES (2, 10, 0, 7);
INSERT INTO public.edge VALUES (2, 10, 1, 8);
INSERT INTO public.edge VALUES (2, 10, 2, 9);
INSERT INTO public.edge VALUES (2, 11, 0, 7);
INSERT INTO public.edge VALUES (2, 11, 1, 8);
INSERT INTO public.edge VALUES (2, 11, 2, 9);
INSERT INTO public.edge VALUES (2, 12, 0, 7);
INSERT INTO public.edge VALUES (2, 12, 1, 8);
INSERT INTO public.edge VALUES (2, 12, 2, 9);
INSERT INTO public.edge VALUES (4, 19, 0, 16);
INSERT INTO public.edge VALUES (4, 19, 1, 17);
INSERT INTO public.edge VALUES (4, 19, 2, 18);
INSERT INTO public.edge VALUES (4, 20, 0, 16);
INSERT INTO public.edge VALUES (4, 20, 1, 17);
INSERT INTO public.edge VALUES (4, 20, 2, 18);
INSERT INTO public.edge VALUES (4, 21, 0, 16);
INSERT INTO public.edge VALUES (4, 21, 1, 17);
INSERT INTO public.edge VALUES (4, 21, 2, 18);
INSERT INTO public.edge VALUES (5, 25, 0, 22);
INSERT INTO public.edge VALUES (5, 25, 1, 23);
INSERT INTO public.edge VALUES (5, 25, 2, 24);
INSERT INTO public.edge VALUES (5, 26, 0, 22);
INSERT INTO public.edge VALUES (5, 26, 1, 23);
INSERT INTO public.edge VALUES (5, 26, 2, 24);
INSERT INTO public.edge VALUES (5, 27, 0, 22);
INSERT INTO public.edge VALUES (5, 27, 1, 23);
INSERT INTO public.edge VALUES (5, 27, 2, 24);
INSERT INTO public.edge VALUES (5, 28, 0, 25);
INSERT INTO public.edge VALUES (5, 28, 1, 26);
INSERT INTO public.edge VALUES (5, 28, 2, 27);
INSERT INTO public.edge VALUES (5, 29, 0, 25);
INSERT INTO public.edge VALUES (5, 29, 1, 26);
INSERT INTO public.edge VALUES (5, 29, 2, 27);
INSERT INTO public.edge VALUES (5, 30, 0, 25);
INSERT INTO public.edge VALUES (5, 30, 1, 26);
INSERT INTO public.edge VALUES (5, 30, 2, 27);
INSERT INTO public.edge VALUES (6, 34, 0, 31);
INSERT INTO public.edge VALUES (6, 34, 1, 32);
INSERT INTO public.edge VALUES (6, 34, 2, 33);
INSERT INTO public.edge VALUES (6, 35, 0, 31);
INSERT INTO public.edge VALUES (6, 35, 1, 32);
INSERT INTO public.edge VALUES (6, 35, 2, 33);
INSERT INTO public.edge VALUES (7, 39, 0, 36);
INSERT INTO public.edge VALUES (7, 39, 1, 37);
INSERT INTO public.edge VALUES (7, 39, 2, 38);
INSERT INTO public.edge VALUES (7, 40, 0, 36);
INSERT INTO public.edge VALUES (7, 40, 1, 37);
INSERT INTO public.edge VALUES (7, 40, 2, 38);
INSERT INTO public.edge VALUES (7, 41, 0, 36);
INSERT INTO public.edge VALUES (7, 41, 1, 37);
INSERT INTO public.edge VALUES (7, 41, 2, 38);
INSERT INTO public.edge VALUES (8, 45, 0, 42);
INSERT INTO public.edge VALUES (8, 45, 1, 43);
INSERT INTO public.edge VALUES (8, 45, 2, 44);
INSERT INTO public.edge VALUES (8, 46, 0, 42);
INSERT INTO public.edge VALUES (8, 46, 1, 43);
INSERT INTO public.edge VALUES (8, 46, 2, 44);
INSERT INTO public.edge VALUES (8, 47, 0, 42);
INSERT INTO public.edge VALUES (8, 47, 1, 43);
INSERT INTO public.edge VALUES (8, 47, 2, 44);
INSERT INTO public.edge VALUES (8, 48, 0, 45);
INSERT INTO public.edge VALUES (8, 48, 1, 46);
INSERT INTO public.edge VALUES (8, 48, 2, 47);
INSERT INTO public.edge VALUES (8, 49, 0, 45);
INSERT INTO public.edge VALUES (8, 49, 1, 46);
INSERT INTO public.edge VALUES (8, 49, 2, 47);
INSERT INTO public.edge VALUES (8, 50, 0, 45);
INSERT INTO public.edge VALUES (8, 50, 1, 46);
INSERT INTO public.edge VALUES (8, 50, 2, 47);
INSERT INTO public.edge VALUES (8, 51, 0, 48);
INSERT INTO public.edge VALUES (8, 51, 1, 49);
INSERT INTO public.edge VALUES (8, 51, 2, 50);
INSERT INTO public.edge VALUES (8, 52, 0, 48);
INSERT INTO public.edge VALUES (8, 52, 1, 49);
INSERT INTO public.edge VALUES (8, 52, 2, 50);
INSERT INTO public.edge VALUES (8, 53, 0, 48);
INSERT INTO public.edge VALUES (8, 53, 1, 49);
INSERT INTO public.edge VALUES (8, 53, 2, 50);
INSERT INTO public.edge VALUES (9, 57, 0, 54);
INSERT INTO public.edge VALUES (9, 57, 1, 55);
INSERT INTO public.edge VALUES (9, 57, 2, 56);
INSERT INTO public.edge VALUES (9, 58, 0, 54);
INSERT INTO public.edge VALUES (9, 58, 1, 55);
INSERT INTO public.edge VALUES (9, 58, 2, 56);
INSERT INTO public.edge VALUES (9, 59, 0, 54);
INSERT INTO public.edge VALUES (9, 59, 1, 55);
INSERT INTO public.edge VALUES (9, 59, 2, 56);
INSERT INTO public.edge VALUES (10, 63, 0, 60);
INSERT INTO public.edge VALUES (10, 63, 1, 61);
INSERT INTO public.edge VALUES (10, 63, 2, 62);
INSERT INTO public.edge VALUES (10, 64, 0, 60);
INSERT INTO public.edge VALUES (10, 65, 0, 60);
INSERT INTO public.edge VALUES (10, 65, 1, 61);
INSERT INTO public.edge VALUES (10, 65, 2, 62);
INSERT INTO public.edge VALUES (11, 69, 0, 66);
INSERT INTO public.edge VALUES (11, 69, 1, 67);
INSERT INTO public.edge VALUES (11, 69, 2, 68);
INSERT INTO public.edge VALUES (11, 70, 0, 66);
INSERT INTO public.edge VALUES (11, 70, 1, 67);
INSERT INTO public.edge VALUES (11, 70, 2, 68);
INSERT INTO public.edge VALUES (11, 71, 0, 66);
INSERT INTO public.edge VALUES (11, 71, 1, 67);
INSERT INTO public.edge VALUES (11, 71, 2, 68);
INSERT INTO public.edge VALUES (11, 72, 0, 69);
INSERT INTO public.edge VALUES (11, 72, 1, 70);
INSERT INTO public.edge VALUES (11, 72, 2, 71);
INSERT INTO public.edge VALUES (11, 73, 0, 69);
INSERT INTO public.edge VALUES (11, 73, 1, 70);
INSERT INTO public.edge VALUES (11, 73, 2, 71);
INSERT INTO public.edge VALUES (12, 77, 0, 74);
INSERT INTO public.edge VALUES (12, 77, 1, 75);
INSERT INTO public.edge VALUES (12, 77, 2, 76);
INSERT INTO public.edge VALUES (12, 78, 0, 74);
INSERT INTO public.edge VALUES (12, 78, 1, 75);
INSERT INTO public.edge VALUES (12, 78, 2, 76);
INSERT INTO public.edge VALUES (12, 79, 0, 74);
INSERT INTO public.edge VALUES (12, 79, 1, 75);
INSERT INTO public.edge VALUES (12, 79, 2, 76);
INSERT INTO public.edge VALUES (13, 83, 0, 80);
INSERT INTO public.edge VALUES (13, 83, 1, 81);
INSERT INTO public.edge VALUES (13, 83, 2, 82);
INSERT INTO public.edge VALUES (13, 84, 0, 80);
INSERT INTO public.edge VALUES (13, 84, 1, 81);
INSERT INTO public.edge VALUES (13, 84, 2, 82);
INSERT INTO public.edge VALUES (13, 85, 0, 80);
INSERT INTO public.edge VALUES (13, 85, 1, 81);
INSERT INTO public.edge VALUES (13, 85, 2, 82);
INSERT INTO public.edge VALUES (14, 89, 0, 86);
INSERT INTO public.edge VALUES (14, 89, 1, 87);
INSERT INTO public.edge VALUES (14, 89, 2, 88);
INSERT INTO public.edge VALUES (14, 90, 0, 86);
INSERT INTO public.edge VALUES (14, 90, 1, 87);
INSERT INTO public.edge VALUES (14, 90, 2, 88);
INSERT INTO public.edge VALUES (14, 91, 0, 86);
INSERT INTO public.edge VALUES (14, 91, 1, 87);
INSERT INTO public.edge VALUES (14, 91, 2, 88);
INSERT INTO public.edge VALUES (15, 95, 0, 92);
INSERT INTO public.edge VALUES (15, 95, 1, 93);
INSERT INTO public.edge VALUES (15, 95, 2, 94);
INSERT INTO public.edge VALUES (15, 96, 0, 92);
INSERT INTO public.edge VALUES (15, 96, 1, 93);
INSERT INTO public.edge VALUES (15, 96, 2, 94);
INSERT INTO public.edge VALUES (15, 97, 0, 92);
INSERT INTO public.edge VALUES (15, 97, 1, 93);
INSERT INTO public.edge VALUES (15, 97, 2, 94);
INSERT INTO public.edge VALUES (15, 98, 0, 95);
INSERT INTO public.edge VALUES (15, 98, 1, 96);
INSERT INTO public.edge VALUES (15, 98, 2, 97);
INSERT INTO public.edge VALUES (15, 99, 0, 95);
INSERT INTO public.edge VALUES (15, 99, 1, 96);
INSERT INTO public.edge VALUES (15, 99, 2, 97);
INSERT INTO public.edge VALUES (15, 100, 0, 95);
INSERT INTO public.edge VALUES (15, 100, 1, 96);
INSERT INTO public.edge VALUES (15, 100, 2, 97);
INSERT INTO public.edge VALUES (15, 101, 0, 98);
INSERT INTO public.edge VALUES (15, 101, 1, 99);
INSERT INTO public.edge VALUES (15, 101, 2, 100);
INSERT INTO public.edge VALUES (15, 102, 0, 98);
INSERT INTO public.edge VALUES (15, 102, 1, 99);
INSERT INTO public.edge VALUES (15, 102, 2, 100);
INSERT INTO public.edge VALUES (15, 103, 0, 98);
INSERT INTO public.edge VALUES (15, 103, 1, 99);
INSERT INTO public.edge VALUES (15, 103, 2, 100);
INSERT INTO public.edge VALUES (16, 107, 0, 106);
INSERT INTO public.edge VALUES (16, 107, 1, 104);
INSERT INTO public.edge VALUES (16, 108, 0, 104);
INSERT INTO public.edge VALUES (16, 108, 1, 105);
INSERT INTO public.edge VALUES (16, 108, 2, 106);
INSERT INTO public.edge VALUES (16, 109, 0, 104);
INSERT INTO public.edge VALUES (16, 109, 1, 105);
INSERT INTO public.edge VALUES (16, 109, 2, 106);
INSERT INTO public.edge VALUES (17, 113, 0, 110);
INSERT INTO public.edge VALUES (17, 113, 1, 111);
INSERT INTO public.edge VALUES (17, 113, 2, 112);
INSERT INTO public.edge VALUES (17, 114, 0, 110);
INSERT INTO public.edge VALUES (17, 114, 1, 111);
INSERT INTO public.edge VALUES (17, 114, 2, 112);
INSERT INTO public.edge VALUES (17, 115, 0, 110);
INSERT INTO public.edge VALUES (17, 115, 1, 111);
INSERT INTO public.edge VALUES (17, 115, 2, 112);
INSERT INTO public.edge VALUES (17, 116, 0, 113);
INSERT INTO public.edge VALUES (17, 116, 1, 114);
INSERT INTO public.edge VALUES (17, 116, 2, 115);
INSERT INTO public.edge VALUES (17, 117, 0, 113);
INSERT INTO public.edge VALUES (17, 117, 1, 114);
INSERT INTO public.edge VALUES (17, 117, 2, 115);
INSERT INTO public.edge VALUES (17, 118, 0, 113);
INSERT INTO public.edge VALUES (17, 118, 1, 114);
INSERT INTO public.edge VALUES (17, 118, 2, 115);
INSERT INTO public.edge VALUES (18, 122, 0, 119);
INSERT INTO public.edge VALUES (18, 122, 1, 120);
INSERT INTO public.edge VALUES (18, 122, 2, 121);
INSERT INTO public.edge VALUES (18, 123, 0, 119);
INSERT INTO public.edge VALUES (18, 123, 1, 120);
INSERT INTO public.edge VALUES (18, 123, 2, 121);
INSERT INTO public.edge VALUES (18, 124, 0, 119);
INSERT INTO public.edge VALUES (18, 124, 1, 120);
INSERT INTO public.edge VALUES (18, 124, 2, 121);
INSERT INTO public.edge VALUES (19, 128, 0, 125);
INSERT INTO public.edge VALUES (19, 128, 1, 126);
INSERT INTO public.edge VALUES (19, 128, 2, 127);
INSERT INTO public.edge VALUES (19, 129, 0, 125);
INSERT INTO public.edge VALUES (19, 129, 1, 126);
INSERT INTO public.edge VALUES (19, 129, 2, 127);
INSERT INTO public.edge VALUES (19, 130, 0, 125);
INSERT INTO public.edge VALUES (19, 130, 1, 126);
INSERT INTO public.edge VALUES (19, 130, 2, 127);
INSERT INTO public.edge VALUES (20, 134, 0, 131);
INSERT INTO public.edge VALUES (20, 134, 1, 132);
INSERT INTO public.edge VALUES (20, 134, 2, 133);
INSERT INTO public.edge VALUES (20, 135, 0, 131);
INSERT INTO public.edge VALUES (20, 135, 1, 132);
INSERT INTO public.edge VALUES (20, 135, 2, 133);
INSERT INTO public.edge VALUES (20, 136, 0, 131);
INSERT INTO public.edge VALUES (20, 136, 1, 132);
INSERT INTO public.edge VALUES (20, 136, 2, 133);
INSERT INTO public.edge VALUES (20, 137, 0, 134);
INSERT INTO public.edge VALUES (20, 137, 1, 135);
INSERT INTO public.edge VALUES (20, 137, 2, 136);
INSERT INTO public.edge VALUES (20, 138, 0, 134);
INSERT INTO public.edge VALUES (20, 138, 1, 135);
INSERT INTO public.edge VALUES (20, 138, 2, 136);
INSERT INTO public.edge VALUES (21, 142, 0, 139);
INSERT INTO public.edge VALUES (21, 142, 1, 140);
INSERT INTO public.edge VALUES (21, 142, 2, 141);
INSERT INTO public.edge VALUES (21, 143, 0, 139);
INSERT INTO public.edge VALUES (21, 143, 1, 140);
INSERT INTO public.edge VALUES (21, 143, 2, 141);
INSERT INTO public.edge VALUES (21, 144, 0, 139);
INSERT INTO public.edge VALUES (21, 144, 1, 140);
INSERT INTO public.edge VALUES (21, 144, 2, 141);
INSERT INTO public.edge VALUES (22, 148, 0, 145);
INSERT INTO public.edge VALUES (22, 148, 1, 146);
INSERT INTO public.edge VALUES (22, 148, 2, 147);
INSERT INTO public.edge VALUES (22, 149, 0, 145);
INSERT INTO public.edge VALUES (22, 149, 1, 146);
INSERT INTO public.edge VALUES (22, 149, 2, 147);
INSERT INTO public.edge VALUES (22, 150, 0, 145);
INSERT INTO public.edge VALUES (22, 150, 1, 146);
INSERT INTO public.edge VALUES (22, 150, 2, 147);
INSERT INTO public.edge VALUES (23, 154, 0, 151);
INSERT INTO public.edge VALUES (23, 154, 1, 152);
INSERT INTO public.edge VALUES (23, 154, 2, 153);
INSERT INTO public.edge VALUES (23, 155, 0, 151);
INSERT INTO public.edge VALUES (23, 155, 1, 152);
INSERT INTO public.edge VALUES (23, 155, 2, 153);
INSERT INTO public.edge VALUES (23, 156, 0, 151);
INSERT INTO public.edge VALUES (23, 156, 1, 152);
INSERT INTO public.edge VALUES (23, 156, 2, 153);
INSERT INTO public.edge VALUES (23, 157, 0, 154);
INSERT INTO public.edge VALUES (23, 157, 1, 155);
INSERT INTO public.edge VALUES (23, 157, 2, 156);
INSERT INTO public.edge VALUES (23, 158, 0, 154);
INSERT INTO public.edge VALUES (23, 158, 1, 155);
INSERT INTO public.edge VALUES (23, 158, 2, 156);
INSERT INTO public.edge VALUES (23, 159, 0, 154);
INSERT INTO public.edge VALUES (23, 159, 1, 155);
INSERT INTO public.edge VALUES (23, 159, 2, 156);
INSERT INTO public.edge VALUES (24, 163, 0, 160);
INSERT INTO public.edge VALUES (24, 163, 1, 161);
INSERT INTO public.edge VALUES (24, 163, 2, 162);
INSERT INTO public.edge VALUES (24, 164, 0, 160);
INSERT INTO public.edge VALUES (24, 164, 1, 161);
INSERT INTO public.edge VALUES (24, 164, 2, 162);
INSERT INTO public.edge VALUES (24, 165, 0, 160);
INSERT INTO public.edge VALUES (24, 165, 1, 161);
INSERT INTO public.edge VALUES (24, 165, 2, 162);
INSERT INTO public.edge VALUES (25, 169, 0, 166);
INSERT INTO public.edge VALUES (25, 169, 1, 167);
INSERT INTO public.edge VALUES (25, 169, 2, 168);
INSERT INTO public.edge VALUES (25, 170, 0, 166);
INSERT INTO public.edge VALUES (25, 170, 1, 167);
INSERT INTO public.edge VALUES (25, 170, 2, 168);
INSERT INTO public.edge VALUES (25, 171, 0, 166);
INSERT INTO public.edge VALUES (25, 171, 1, 167);
INSERT INTO public.edge VALUES (25, 171, 2, 168);
INSERT INTO public.edge VALUES (25, 172, 0, 169);
INSERT INTO public.edge VALUES (25, 172, 1, 170);
INSERT INTO public.edge VALUES (25, 172, 2, 171);
INSERT INTO public.edge VALUES (25, 173, 0, 169);
INSERT INTO public.edge VALUES (25, 173, 1, 170);
INSERT INTO public.edge VALUES (25, 173, 2, 171);
INSERT INTO public.edge VALUES (25, 174, 0, 169);
INSERT INTO public.edge VALUES (25, 174, 1, 170);
INSERT INTO public.edge VALUES (25, 174, 2, 171);
INSERT INTO public.edge VALUES (25, 175, 0, 172);
INSERT INTO public.edge VALUES (25, 175, 1, 173);
INSERT INTO public.edge VALUES (25, 175, 2, 174);
INSERT INTO public.edge VALUES (25, 176, 0, 172);
INSERT INTO public.edge VALUES (25, 176, 1, 173);
INSERT INTO public.edge VALUES (25, 176, 2, 174);
INSERT INTO public.edge VALUES (25, 177, 0, 172);
INSERT INTO public.edge VALUES (25, 177, 1, 173);
INSERT INTO public.edge VALUES (25, 177, 2, 174);
INSERT INTO public.edge VALUES (27, 184, 0, 181);
INSERT INTO public.edge VALUES (27, 184, 1, 182);
INSERT INTO public.edge VALUES (27, 184, 2, 183);
INSERT INTO public.edge VALUES (27, 185, 0, 181);
INSERT INTO public.edge VALUES (27, 185, 1, 182);
INSERT INTO public.edge VALUES (27, 185, 2, 183);
INSERT INTO public.edge VALUES (27, 186, 0, 181);
INSERT INTO public.edge VALUES (28, 190, 0, 187);
INSERT INTO public.edge VALUES (28, 190, 1, 188);
INSERT INTO public.edge VALUES (28, 190, 2, 189);
INSERT INTO public.edge VALUES (28, 191, 0, 187);
INSERT INTO public.edge VALUES (28, 191, 1, 188);
INSERT INTO public.edge VALUES (28, 191, 2, 189);
INSERT INTO public.edge VALUES (28, 192, 0, 187);
INSERT INTO public.edge VALUES (28, 192, 1, 188);
INSERT INTO public.edge VALUES (28, 192, 2, 189);
INSERT INTO public.edge VALUES (29, 196, 0, 193);
INSERT INTO public.edge VALUES (29, 196, 1, 194);
INSERT INTO public.edge VALUES (29, 196, 2, 195);
INSERT INTO public.edge VALUES (29, 197, 0, 193);
INSERT INTO public.edge VALUES (29, 197, 1, 194);
INSERT INTO public.edge VALUES (29, 197, 2, 195);
INSERT INTO public.edge VALUES (29, 198, 0, 193);
INSERT INTO public.edge VALUES (29, 198, 1, 194);
INSERT INTO public.edge VALUES (29, 198, 2, 195);
INSERT INTO public.edge VALUES (31, 205, 0, 202);
INSERT INTO public.edge VALUES (31, 205, 1, 203);
INSERT INTO public.edge VALUES (31, 205, 2, 204);
INSERT INTO public.edge VALUES (31, 206, 0, 202);
INSERT INTO public.edge VALUES (31, 206, 1, 203);
INSERT INTO public.edge VALUES (31, 206, 2, 204);
INSERT INTO public.edge VALUES (31, 207, 0, 202);
INSERT INTO public.edge VALUES (31, 207, 1, 203);
INSERT INTO public.edge VALUES (31, 207, 2, 204);
INSERT INTO public.edge VALUES (31, 208, 0, 205);
INSERT INTO public.edge VALUES (31, 208, 1, 206);
INSERT INTO public.edge VALUES (31, 208, 2, 207);
INSERT INTO public.edge VALUES (31, 209, 0, 205);
INSERT INTO public.edge VALUES (31, 209, 1, 206);
INSERT INTO public.edge VALUES (31, 209, 2, 207);
INSERT INTO public.edge VALUES (31, 210, 0, 205);
INSERT INTO public.edge VALUES (31, 210, 1, 206);
INSERT INTO public.edge VALUES (31, 210, 2, 207);
INSERT INTO public.edge VALUES (32, 214, 0, 211);
INSERT INTO public.edge VALUES (32, 214, 1, 212);
INSERT INTO public.edge VALUES (32, 214, 2, 213);
INSERT INTO public.edge VALUES (32, 215, 0, 211);
INSERT INTO public.edge VALUES (32, 215, 1, 212);
INSERT INTO public.edge VALUES (32, 215, 2, 213);
INSERT INTO public.edge VALUES (32, 216, 0, 211);
INSERT INTO public.edge VALUES (32, 216, 1, 212);
INSERT INTO public.edge VALUES (32, 216, 2, 213);
INSERT INTO public.edge VALUES (33, 220, 0, 217);
INSERT INTO public.edge VALUES (33, 220, 1, 218);
INSERT INTO public.edge VALUES (33, 220, 2, 219);
INSERT INTO public.edge VALUES (33, 221, 0, 217);
INSERT INTO public.edge VALUES (33, 221, 1, 218);
INSERT INTO public.edge VALUES (33, 221, 2, 219);
INSERT INTO public.edge VALUES (33, 222, 0, 217);
INSERT INTO public.edge VALUES (33, 222, 1, 218);
INSERT INTO public.edge VALUES (33, 222, 2, 219);
INSERT INTO public.edge VALUES (34, 226, 0, 223);
INSERT INTO public.edge VALUES (34, 226, 1, 224);
INSERT INTO public.edge VALUES (34, 226, 2, 225);
INSERT INTO public.edge VALUES (34, 227, 0, 223);
INSERT INTO public.edge VALUES (34, 227, 1, 224);
INSERT INTO public.edge VALUES (34, 227, 2, 225);
INSERT INTO public.edge VALUES (34, 228, 0, 223);
INSERT INTO public.edge VALUES (34, 228, 1, 224);
INSERT INTO public.edge VALUES (34, 228, 2, 225);
INSERT INTO public.edge VALUES (34, 229, 0, 226);
INSERT INTO public.edge VALUES (34, 229, 1, 227);
INSERT INTO public.edge VALUES (34, 229, 2, 228);
INSERT INTO public.edge VALUES (34, 230, 0, 226);
INSERT INTO public.edge VALUES (34, 230, 1, 227);
INSERT INTO public.edge VALUES (34, 230, 2, 228);
INSERT INTO public.edge VALUES (35, 234, 0, 231);
INSERT INTO public.edge VALUES (35, 234, 1, 232);
INSERT INTO public.edge VALUES (35, 234, 2, 233);
INSERT INTO public.edge VALUES (35, 235, 0, 231);
INSERT INTO public.edge VALUES (35, 235, 1, 232);
INSERT INTO public.edge VALUES (35, 235, 2, 233);
INSERT INTO public.edge VALUES (35, 236, 0, 231);
INSERT INTO public.edge VALUES (35, 236, 1, 232);
INSERT INTO public.edge VALUES (35, 236, 2, 233);
INSERT INTO public.edge VALUES (36, 240, 0, 237);
INSERT INTO public.edge VALUES (36, 240, 1, 238);
INSERT INTO public.edge VALUES (36, 240, 2, 239);
INSERT INTO public.edge VALUES (36, 241, 0, 237);
INSERT INTO public.edge VALUES (36, 241, 1, 238);
INSERT INTO public.edge VALUES (36, 241, 2, 239);
INSERT INTO public.edge VALUES (36, 242, 0, 237);
INSERT INTO public.edge VALUES (36, 242, 1, 238);
INSERT INTO public.edge VALUES (36, 242, 2, 239);
INSERT INTO public.edge VALUES (36, 243, 0, 240);
INSERT INTO public.edge VALUES (36, 243, 1, 241);
INSERT INTO public.edge VALUES (36, 243, 2, 242);
INSERT INTO public.edge VALUES (36, 244, 0, 240);
INSERT INTO public.edge VALUES (36, 244, 1, 241);
INSERT INTO public.edge VALUES (36, 244, 2, 242);
INSERT INTO public.edge VALUES (36, 245, 0, 240);
INSERT INTO public.edge VALUES (36, 245, 1, 241);
INSERT INTO public.edge VALUES (36, 245, 2, 242);
INSERT INTO public.edge VALUES (36, 246, 0, 243);
INSERT INTO public.edge VALUES (36, 246, 1, 244);
INSERT INTO public.edge VALUES (36, 246, 2, 245);
INSERT INTO public.edge VALUES (36, 247, 0, 243);
INSERT INTO public.edge VALUES (36, 247, 1, 244);
INSERT INTO public.edge VALUES (36, 247, 2, 245);
INSERT INTO public.edge VALUES (36, 248, 0, 243);
INSERT INTO public.edge VALUES (36, 248, 1, 244);
INSERT INTO public.edge VALUES (36, 248, 2, 245);
INSERT INTO public.edge VALUES (37, 252, 0, 249);
INSERT INTO public.edge VALUES (37, 252, 1, 250);
INSERT INTO public.edge VALUES (37, 252, 2, 251);
INSERT INTO public.edge VALUES (37, 253, 0, 249);
INSERT INTO public.edge VALUES (37, 253, 1, 250);
INSERT INTO public.edge VALUES (37, 253, 2, 251);
INSERT INTO public.edge VALUES (37, 254, 0, 249);
INSERT INTO public.edge VALUES (37, 254, 1, 251);
INSERT INTO public.edge VALUES (37, 255, 0, 252);
INSERT INTO public.edge VALUES (37, 255, 1, 253);
INSERT INTO public.edge VALUES (37, 255, 2, 254);
INSERT INTO public.edge VALUES (37, 256, 0, 252);
INSERT INTO public.edge VALUES (37, 256, 1, 253);
INSERT INTO public.edge VALUES (37, 256, 2, 254);
INSERT INTO public.edge VALUES (37, 257, 0, 252);
INSERT INTO public.edge VALUES (37, 257, 1, 253);
INSERT INTO public.edge VALUES (37, 257, 2, 254);
INSERT INTO public.edge VALUES (38, 261, 0, 258);
INSERT INTO public.edge VALUES (38, 261, 1, 259);
INSERT INTO public.edge VALUES (38, 261, 2, 260);
INSERT INTO public.edge VALUES (38, 262, 0, 258);
INSERT INTO public.edge VALUES (38, 262, 1, 259);
INSERT INTO public.edge VALUES (38, 262, 2, 260);
INSERT INTO public.edge VALUES (38, 263, 0, 258);
INSERT INTO public.edge VALUES (38, 263, 1, 259);
INSERT INTO public.edge VALUES (38, 263, 2, 260);
INSERT INTO public.edge VALUES (38, 264, 0, 261);
INSERT INTO public.edge VALUES (38, 264, 1, 262);
INSERT INTO public.edge VALUES (38, 264, 2, 263);
INSERT INTO public.edge VALUES (38, 265, 0, 261);
INSERT INTO public.edge VALUES (38, 265, 1, 262);
INSERT INTO public.edge VALUES (38, 265, 2, 263);
INSERT INTO public.edge VALUES (39, 269, 0, 266);
INSERT INTO public.edge VALUES (39, 269, 1, 267);
INSERT INTO public.edge VALUES (39, 269, 2, 268);
INSERT INTO public.edge VALUES (39, 270, 0, 266);
INSERT INTO public.edge VALUES (39, 270, 1, 267);
INSERT INTO public.edge VALUES (39, 270, 2, 268);
INSERT INTO public.edge VALUES (39, 271, 0, 266);
INSERT INTO public.edge VALUES (39, 271, 1, 267);
INSERT INTO public.edge VALUES (39, 271, 2, 268);
INSERT INTO public.edge VALUES (39, 272, 0, 269);
INSERT INTO public.edge VALUES (39, 272, 1, 270);
INSERT INTO public.edge VALUES (39, 272, 2, 271);
INSERT INTO public.edge VALUES (39, 273, 0, 269);
INSERT INTO public.edge VALUES (39, 273, 1, 270);
INSERT INTO public.edge VALUES (39, 273, 2, 271);
INSERT INTO public.edge VALUES (39, 274, 0, 269);
INSERT INTO public.edge VALUES (39, 274, 1, 270);
INSERT INTO public.edge VALUES (39, 274, 2, 271);
INSERT INTO public.edge VALUES (40, 278, 0, 275);
INSERT INTO public.edge VALUES (40, 278, 1, 276);
INSERT INTO public.edge VALUES (40, 278, 2, 277);
INSERT INTO public.edge VALUES (40, 279, 0, 275);
INSERT INTO public.edge VALUES (40, 279, 1, 276);
INSERT INTO public.edge VALUES (40, 279, 2, 277);
INSERT INTO public.edge VALUES (40, 280, 0, 275);
INSERT INTO public.edge VALUES (40, 280, 1, 276);
INSERT INTO public.edge VALUES (40, 280, 2, 277);
INSERT INTO public.edge VALUES (40, 281, 0, 278);
INSERT INTO public.edge VALUES (40, 281, 1, 279);
INSERT INTO public.edge VALUES (40, 281, 2, 280);
INSERT INTO public.edge VALUES (40, 282, 0, 278);
INSERT INTO public.edge VALUES (40, 282, 1, 279);
INSERT INTO public.edge VALUES (40, 282, 2, 280);
INSERT INTO public.edge VALUES (40, 283, 0, 278);
INSERT INTO public.edge VALUES (40, 283, 1, 279);
INSERT INTO public.edge VALUES (40, 283, 2, 280);


--
-- Data for Name: evalquestion; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: evalrun; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: job; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.job VALUES (1, 'train', 'baseline job', 'queued', '{"level": 1, "steps": 2}', '2026-12-01 19:06:15.281926+00', NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, 1, NULL);


--
-- Data for Name: labelevent; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.labelevent VALUES (1, 1, 1, 'label', NULL, 'incorrect', 'alice', '2026-12-01 19:06:15.238496+00', 'wrong step', 4, NULL);
INSERT INTO public.labelevent VALUES (2, 1, 2, 'excluded', 'false', 'true', 'alice', '2026-12-01 19:06:15.247191+00', NULL, 5, NULL);
INSERT INTO public.labelevent VALUES (3, 3, NULL, 'gold', '4', 'yes', 'bob', '2026-12-01 19:06:15.25463+00', NULL, 6, NULL);
INSERT INTO public.labelevent VALUES (4, 3, 13, 'auto_label', 'correct', 'incorrect', 'bob', '2026-12-01 19:06:15.256659+00', 'gold answer → yes', 6, NULL);
INSERT INTO public.labelevent VALUES (5, 3, 14, 'auto_label', 'correct', 'incorrect', 'bob', '2026-12-01 19:06:15.258336+00', 'gold answer → yes', 6, NULL);
INSERT INTO public.labelevent VALUES (6, 3, 15, 'auto_label', 'correct', 'incorrect', 'bob', '2026-12-01 19:06:15.260677+00', 'gold answer → yes', 6, NULL);
INSERT INTO public.labelevent VALUES (7, 1, 5, 'label', NULL, 'correct', 'bob', '2026-12-01 19:06:15.271975+00', NULL, 7, NULL);
INSERT INTO public.labelevent VALUES (8, 1, 5, 'label', 'correct', NULL, 'bob', '2026-12-01 19:06:15.278983+00', 'undo of #7', 8, 7);


--
-- Data for Name: nodeprediction; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: prediction; Type: TABLE DATA; Schema: public; Owner: -
--



--
-- Data for Name: storemeta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.storemeta VALUES ('label_revision', 8);


--
-- Data for Name: turn; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.turn VALUES (3, 1, 'bard', 0, 'Buses are kept at a depot when they are not in service. Commuters go to the depot to catch the bus. So option 1.', '1', '1', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (4, 1, 'claude', 1, 'I disagree with Bard because a depot is where buses are parked and serviced, not where passengers board. Commuters wait at stops on the route. Option 3.', '3', '3', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (6, 1, 'bard', 1, 'I agree with Claude and GPT-4. Passengers board city buses at bus stops, so the answer is (3).', '(3)', '3', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (7, 2, 'claude', 0, 'Running 42 kilometres in heat drains the body''s energy and fluids. The most typical feeling right after is exhaustion. Option 5.', '5', '5', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (8, 2, 'gpt4', 0, 'A marathon burns several thousand calories. After the race, runners usually want to eat. So hungry, option 4.', '4', '4', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (9, 2, 'bard', 0, 'Marathons are very tiring, especially in hot weather. A runner would feel exhausted. Option 5.', '5', '5', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (10, 2, 'claude', 1, 'I disagree with GPT-4 because many runners actually lose their appetite right after a hard race in heat. Exhaustion is nearly universal, so it is the most likely feeling. Option 5.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (11, 2, 'gpt4', 1, 'I agree with Claude and Bard. Hunger often comes later, while exhaustion is immediate. The answer is exhausted.', 'exhausted', '5', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (12, 2, 'bard', 1, 'I agree with Claude. Exhausted is the best fit.', '5', '5', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (16, 4, 'claude', 0, 'Rubber boots are waterproof and tall enough to keep water out of puddles. Sandals, slippers, socks and sneakers let water in. Option 1.', '1', '1', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (17, 4, 'gpt4', 0, 'To keep feet dry the footwear must be waterproof. Rubber boots are designed for this. Option 1.', '1', '1', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (18, 4, 'bard', 0, 'Sneakers cover the whole foot and are comfortable for walking. They protect the feet from puddles. Option 5.', '5', '5', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (19, 4, 'claude', 1, 'I disagree with Bard because most sneakers are made of mesh or canvas and soak through in deep puddles. Rubber boots are the waterproof choice.', '1', '1', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (20, 4, 'gpt4', 1, 'I agree with Claude. Covering the foot is not the same as keeping it dry. The answer is 1).', '1)', '1', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (21, 4, 'bard', 1, 'I agree with Claude and GPT-4 that sneakers would get soaked. Rubber boots, option 1.', '1', '1', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (22, 5, 'claude', 0, 'Bland means lacking flavour, and the most common fix for a savoury dish like soup is seasoning. Salt is the standard seasoning. Option 5.', '5', '5', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (23, 5, 'gpt4', 0, 'Adding flavour is the goal. Sugar is a common flavour enhancer and balances acidity in tomato soups. Option 3.', '3', '3', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (24, 5, 'bard', 0, 'When food has no taste, you add something with a strong taste. Sugar makes food taste better. Option 3.', '3', '3', NULL, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (25, 5, 'claude', 1, 'I disagree with GPT-4 and Bard because sugar is added to balance acidity, not to fix blandness. Chefs season bland soup with salt first. Water and ice would dilute it further, and flour only thickens.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (26, 5, 'gpt4', 1, 'I agree with Claude. Blandness in soup is almost always a lack of salt; sugar is a special case for acidic soups. Option 5.', '5', '5', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (27, 5, 'bard', 1, 'I disagree with Claude. Sugar also adds flavour and many soups have some sugar. I keep option 3.', '3', '3', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (28, 5, 'claude', 2, 'I agree with GPT-4. A chef''s first response to a bland soup is to adjust the salt. Option 5.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (29, 5, 'gpt4', 2, 'I agree with Claude. Option 5, salt.', '5', '5', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (30, 5, 'bard', 2, 'I agree with Claude and GPT-4. Salt is the usual seasoning for soup, so option 5.', '5', '5', 0.75, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (31, 6, 'claude', 0, 'A spare tire is needed when a car gets a flat on the road, so it travels with the car. It is typically stored in or under the car trunk. Option 2.', '2', '2', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (32, 6, 'gpt4', 0, 'Spare tires are kept in the car, usually beneath the floor of the trunk. Option 2.', '2', '2', 1, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (33, 6, 'bard', 0, 'People store extra things they do not use often in a closet. A spare tire is rarely used. Option 5.', '5', '5', 0.5, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (34, 6, 'claude', 1, 'I disagree with Bard because a spare kept at home would be useless when a tire goes flat on the road. It is stored in the car trunk. Option 2.', '2', '2', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (35, 6, 'bard', 1, 'I agree with Claude and GPT-4. The spare must be in the car to be useful, so option 2.', '2', '2', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (36, 7, 'claude', 0, 'Forgetting a plant means not watering it. Wilting is the classic sign of too little water. Option 4.', '4', '4', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (37, 7, 'gpt4', 0, 'Plants need sunlight to make food through photosynthesis. A houseplant left indoors may not get enough light. Option 2.', '2', '2', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (38, 7, 'bard', 0, 'A plant can wilt if it does not get enough water or enough sunlight. Both are possible from the question. The answer is either 2 or 4.', 'either 2 or 4', NULL, NULL, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (39, 7, 'claude', 1, 'I disagree with GPT-4 and Bard because forgetting a plant does not change how much light it gets; it stays where it was. What stops is watering. Wilting within two weeks points to water, option 4.', '4', '4', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (40, 7, 'gpt4', 1, 'I agree with Claude. Light is not something Jim supplies by remembering, while water is. Option 4.', '4', '4', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (41, 7, 'bard', 1, 'I agree with Claude. The word forgot points to missed watering, so option 4.', '4', '4', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (83, 13, 'claude', 1, 'I disagree with Bard because the question asks where you would put the plate, which means moving it somewhere. It goes to the sink.', '2', '2', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (5, 1, 'gpt4', 1, 'I agree with Claude. Option 1 is also a train depot, which does not fit a city bus at all.', '3', '3', 0.95, false, true, NULL, false, false, 2);
INSERT INTO public.turn VALUES (42, 8, 'claude', 0, 'Tickets are bought at the booth, but they are checked by an usher at the entrance to the theatre or screening room. The question asks where the ticket is checked. Option 3.', '3', '3', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (43, 8, 'gpt4', 0, 'The ticket booth is where cinema staff handle tickets. So the ticket is checked there. Option 1.', '1', '1', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (44, 8, 'bard', 0, 'People go to the ticket booth first when they arrive at a cinema. That is where tickets are dealt with. Option 1.', '1', '1', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (45, 8, 'claude', 1, 'I disagree with GPT-4 and Bard because the booth is where the ticket is sold, not checked. The check happens at the theatre entrance, just before the viewer is let in. Option 3.', '3', '3', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (46, 8, 'gpt4', 1, 'I disagree with Claude. In many cinemas the cashier at the booth validates the ticket and there is no separate check. I keep option 1.', '1', '1', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (47, 8, 'bard', 1, 'I agree with GPT-4. The booth is where tickets are handled.', '1', '1', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (48, 8, 'claude', 2, 'I disagree with GPT-4 because a ticket cannot be checked before it is bought. The phrase before they are allowed to watch points to the entrance. Option 3.', '3', '3', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (49, 8, 'gpt4', 2, 'I keep option 1. The ticket booth is the ticket-related location in the list.', '1', '1', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (50, 8, 'bard', 2, 'I agree with Claude. The booth sells tickets, while the usher at the theatre entrance checks them. Option 3.', '3', '3', 0.7, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (51, 8, 'claude', 3, 'I agree with Bard. Option 3 is the only place where a ticket is checked for admission.', '3', '3', 0.85, false, true, NULL, false, true, 0);
INSERT INTO public.turn VALUES (52, 8, 'gpt4', 3, 'I disagree with Claude and Bard; I still think the booth is the intended answer. Option 1.', '1', '1', 0.6, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (53, 8, 'bard', 3, 'On reflection I think the question is simpler than we are making it. Ticket booth is the most ticket-related option. I return to option 1.', '1', '1', 0.55, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (54, 9, 'claude', 0, 'Glass is brittle and a tile floor is hard. A fall from table height usually breaks it. Option 4, shatter.', '4', '4', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (55, 9, 'gpt4', 0, 'Glass does not float, melt or evaporate from a fall. On a hard tile floor it will most likely shatter. Option 4.', '4', '4', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (56, 9, 'bard', 0, 'Some glasses are thick and can bounce when dropped. A glass falling from a table might just bounce. Option 2.', '2', '2', 0.55, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (57, 9, 'claude', 1, 'I disagree with Bard because the question asks what will probably happen, and on tile a glass usually breaks. Bouncing happens mostly on softer floors.', '4', '4', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (58, 9, 'gpt4', 1, 'I agree with Claude. Tile makes shattering the most probable outcome.', '4', '4', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (59, 9, 'bard', 1, 'I agree with Claude and GPT-4 that on a tile floor breaking is most likely. Option 4.', 'Option 4', '4', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (60, 10, 'claude', 0, 'Saturn''s rings are too small to see with the naked eye. A telescope with modest magnification shows them clearly. Option 5.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (61, 10, 'gpt4', 0, 'Binoculars are the usual first tool for looking at the night sky. They magnify distant objects. Option 4.', '4', '4', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (62, 10, 'bard', 0, 'To view planets you need a telescope. Option 5.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (63, 10, 'claude', 1, 'I disagree with GPT-4 because typical binoculars magnify only 7 to 10 times, which shows Saturn as an elongated dot at best. Seeing the rings needs about 25 times magnification, which means a telescope.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (64, 10, 'gpt4', 1, 'I agree with Claude. Binoculars cannot resolve the rings, so a telescope is needed. Option 5.', '5', '5', 0.85, true, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (65, 10, 'bard', 1, 'I agree with Claude. A telescope, option 5.', '5', '5', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (66, 11, 'claude', 0, 'Complete dinosaur skeletons are mounted for display in natural history museums. That is where children usually see them. Option 1.', '1', '1', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (67, 11, 'gpt4', 0, 'Zoos keep living animals and art galleries show art. Dinosaur skeletons are displayed in natural history museums. Option 1.', '1', '1', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (68, 11, 'bard', 0, 'Dinosaur skeletons are dug up at fossil quarries. That is where they are found. Option 5.', '5', '5', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (69, 11, 'claude', 1, 'I disagree with Bard because fossils in a quarry are usually fragments in rock, not full skeletons, and children rarely visit them. Full mounted skeletons are in museums.', '1', '1', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (70, 11, 'gpt4', 1, 'Bard makes a point that the skeletons come from quarries, and the question may be asking where they are found. I will switch to option 5.', '5', '5', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (71, 11, 'bard', 1, 'I agree with GPT-4. Fossil quarries are where dinosaur skeletons are found. Option 5.', '5', '5', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (72, 11, 'claude', 2, 'I disagree with GPT-4 and Bard because the question asks where a child would see a full-size skeleton, which is a display setting. Museums assemble the bones into full skeletons. Option 1.', '1', '1', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (73, 11, 'gpt4', 2, 'I agree with Claude. A quarry yields scattered bones, and a full-size skeleton is something a child sees in a museum. Back to option 1.', '1', '1', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (74, 12, 'claude', 0, 'Loneliness is the feeling of lacking social contact. Calling a friend addresses it directly. Option 3.', '3', '3', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (75, 12, 'gpt4', 0, 'Of the options, only calling a friend involves other people. That is what a lonely person would want. Option 3.', '3', '3', NULL, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (76, 12, 'bard', 0, 'When people feel down in the evening they often want to rest. Sleeping in helps them feel better. Option 5.', '5', '5', NULL, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (77, 12, 'claude', 1, 'I disagree with Bard because sleeping in is something done in the morning, and it does not address loneliness. Call a friend is the natural response.', '3', '3', NULL, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (78, 12, 'gpt4', 1, 'I agree with Claude. Option 3.', '3', '3', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (79, 12, 'bard', 1, 'I agree with Claude and GPT-4. Loneliness is about lacking company, so the answer is call a friend.', 'call a friend', '3', NULL, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (80, 13, 'claude', 0, 'Without a dishwasher, dishes are washed by hand at the sink. A dirty plate is put in the sink to be washed. Option 2.', '2', '2', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (81, 13, 'gpt4', 0, 'Dirty dishes go to the sink for washing. The cupboard holds clean dishes, and the oven and refrigerator are wrong places. Option 2.', '2', '2', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (82, 13, 'bard', 0, 'After dinner, the plate is already on the table. People often leave it there until later. Option 3.', '3', '3', 0.55, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (84, 13, 'gpt4', 1, 'I agree with Claude. Option 2.', '2', '2', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (85, 13, 'bard', 1, 'I agree with Claude and GPT-4. Putting the plate somewhere means moving it to the sink. 2)', '2)', '2', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (86, 14, 'claude', 0, 'Muffins bring in 45 x 3 = 135 dollars. Cookies bring in 60 x 2 = 120 dollars. The total is 135 + 120 = 255 dollars.', '255', '255', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (87, 14, 'gpt4', 0, '45 muffins at $3 is $135 and 60 cookies at $2 is $120. Adding them gives $255.', '255', '255', 1, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (88, 14, 'bard', 0, 'The muffins make 45 x 3 = 115 dollars. The cookies make 60 x 2 = 120 dollars. Together that is 115 + 120 = 235 dollars.', '235', '235', 0.8, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (89, 14, 'claude', 1, 'I disagree with Bard because 45 x 3 is 135, not 115. With the cookies'' 120 dollars the total is 255.', '255', '255', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (90, 14, 'gpt4', 1, 'I agree with Claude. Bard''s only error is in 45 x 3; the correct total is 255.', '255', '255', 1, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (91, 14, 'bard', 1, 'I agree with Claude and GPT-4. I miscalculated 45 x 3, which is 135. So the bakery made $255.', '$255', '255', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (92, 15, 'claude', 0, 'On the 5 weekdays she reads 5 x 18 = 90 pages. On the 2 weekend days she reads 2 x 30 = 60 pages. That is 150 pages per week, so 3 weeks give 3 x 150 = 450 pages.', '450', '450', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (93, 15, 'gpt4', 0, 'She reads 18 pages a day. Over 3 weeks there are 21 days. 18 x 21 = 378 pages.', '378', '378', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (94, 15, 'bard', 0, 'Each week: 5 x 18 = 90 and 2 x 30 = 60, so 150. For 3 weeks: 450 pages.', '450', '450', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (95, 15, 'claude', 1, 'I disagree with GPT-4 because the weekend days are 30 pages, not 18. The weekly total is 90 + 60 = 150, and 3 weeks give 450.', '450', '450', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (96, 15, 'gpt4', 1, 'I think the weekend pages are a distractor and the daily reading is 18 pages. 21 days x 18 pages = 378. I keep my answer.', '378', '378', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (97, 15, 'bard', 1, 'GPT-4 may be right that 18 pages is her daily reading. Over 21 days that is 378 pages. I will change to 378.', '378', '378', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (98, 15, 'claude', 2, 'I disagree with GPT-4 and Bard because the problem states two different daily amounts: 18 on weekdays and 30 on weekend days. Ignoring the 30 drops 6 weekend days x 12 extra pages = 72 pages, and 378 + 72 = 450.', '450', '450', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (99, 15, 'gpt4', 2, 'I agree with Claude. The check 378 + 6 x 12 = 450 confirms it. The answer is 450.', '450', '450', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (100, 15, 'bard', 2, 'I disagree with Claude for now. If 18 pages is her daily amount, 21 days give 378 pages. I keep 378.', '378', '378', 0.55, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (101, 15, 'claude', 3, 'I agree with GPT-4. Weekly reading is 5 x 18 + 2 x 30 = 150 pages, and 3 x 150 = 450.', '450', '450', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (102, 15, 'gpt4', 3, 'I agree with Claude. 450 pages.', '450', '450', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (103, 15, 'bard', 3, 'I agree with Claude and GPT-4. I missed that weekend days have 30 pages. 150 pages per week for 3 weeks is 450.0.', '450.0', '450', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (104, 16, 'claude', 0, 'The school has 12 x 24 = 288 pencils. The students receive 38 x 7 = 266 pencils. 288 - 266 = 22 pencils are left.', '22', '22', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (105, 16, 'gpt4', 0, 'Total pencils: 288. Given out: 7 x 38 = 266. Left over: 22.', '22', '22', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (106, 16, 'bard', 0, 'There are 12 x 24 = 288 pencils. The class uses 38 x 7 = 256 pencils. That leaves 288 - 256 = 32 pencils.', '32', '32', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (107, 16, 'claude', 1, 'I disagree with Bard because 38 x 7 = 266 (30 x 7 = 210 plus 8 x 7 = 56). So 288 - 266 = 22.', '22', '22', 0.95, true, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (108, 16, 'gpt4', 1, 'I agree with Claude. Bard''s multiplication 38 x 7 is off by 10.', '22', '22', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (109, 16, 'bard', 1, 'I agree with Claude and GPT-4. 38 x 7 is 266, so 22 pencils are left.', '22', '22', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (110, 17, 'claude', 0, 'The discount is 25% of 80 = 20, so the sale price is 60 dollars. Tax is 10% of 60 = 6 dollars. The final price is 60 + 6 = 66 dollars.', '66', '66', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (111, 17, 'gpt4', 0, 'The net change is -25% + 10% = -15%. 15% of 80 is 12. So the final price is 80 - 12 = 68 dollars.', '68', '68', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (112, 17, 'bard', 0, 'Take 25% off and add 10% tax, which is 15% off overall. 80 x 0.85 = 68.', '68', '68', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (113, 17, 'claude', 1, 'I disagree with GPT-4 and Bard because the tax is applied to the sale price, not the original price. 80 x 0.75 = 60, then 60 x 1.10 = 66. Adding percentages only works when both apply to the same base.', '66', '66', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (114, 17, 'gpt4', 1, 'I still think combining the percentages is valid here. -25% and +10% give -15%, so 68.', '68', '68', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (115, 17, 'bard', 1, 'I agree with Claude. The problem says the tax is added to the sale price of 60, so the tax is 6 and the total is 66.', '66', '66', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (116, 17, 'claude', 2, 'I agree with Bard. Multiplying the factors gives 80 x 0.75 x 1.1 = 66; the 15% shortcut overstates the tax.', '66', '66', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (117, 17, 'gpt4', 2, 'I agree with Claude and Bard. The tax base is $60, so the tax is $6, not $8. The final price is 66.', '66', '66', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (118, 17, 'bard', 2, 'I agree with Claude and GPT-4. 66 dollars.', '66', '66', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (119, 18, 'claude', 0, 'Let the daughter''s age be d, so Tom is 4d. In 20 years: 4d + 20 = 2(d + 20) = 2d + 40. So 2d = 20 and d = 10. Tom is 40.', '40', '40', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (120, 18, 'gpt4', 0, 'Set Tom = 4d. Then 4d + 20 = 2d + 40 gives d = 10, and Tom = 40. Check: in 20 years they are 60 and 30.', '40', '40', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (121, 18, 'bard', 0, 'Let x be the daughter''s age. 4x + 20 = 2(x + 20), so 2x = 20 and x = 10. The answer is 10.', '10', '10', 0.8, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (122, 18, 'claude', 1, 'I agree with Bard''s equation but not the final answer. x = 10 is the daughter''s age, and the question asks for Tom''s age. Tom is 4 x 10 = 40.', '40', '40', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (123, 18, 'gpt4', 1, 'I agree with Claude. Bard solved for the daughter. Tom is 40.', '40', '40', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (124, 18, 'bard', 1, 'I agree with Claude and GPT-4. I answered with the daughter''s age by mistake. Tom is 40.', '40', '40', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (125, 19, 'claude', 0, 'First part: 60 x 2.5 = 150 miles. Second part: 45 x 2 = 90 miles. Total: 150 + 90 = 240 miles.', '240', '240', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (126, 19, 'gpt4', 0, 'Distance is speed times time for each leg: 150 miles and 90 miles. The total distance is 240 miles.', '240 miles', '240', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (127, 19, 'bard', 0, 'The train goes 45 mph for 2.5 hours, which is 112.5 miles, and 60 mph for 2 hours, which is 120 miles. Total 232.5 miles.', '232.5', '232.5', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (128, 19, 'claude', 1, 'I disagree with Bard because the speeds are swapped: 60 mph goes with 2.5 hours and 45 mph with 2 hours. That gives 150 + 90 = 240.', '240', '240', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (129, 19, 'gpt4', 1, 'I agree with Claude. 240 miles.', '240', '240', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (130, 19, 'bard', 1, 'I agree with Claude and GPT-4. I paired the speeds with the wrong times. The total is 240.', '240', '240', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (131, 20, 'claude', 0, 'Second field: 1,250 x 1.2 = 1,500 kg. Third field: 1,500 / 2 = 750 kg. Total: 1,250 + 1,500 + 750 = 3,500 kg.', '3500', '3500', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (132, 20, 'gpt4', 0, 'The second field yields 1,250 + 250 = 1,500 kg. The third yields half of the first, 625 kg. Total: 1,250 + 1,500 + 625 = 3,375 kg.', '3375', '3375', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (133, 20, 'bard', 0, 'The second field gives 20% more than 1,250, which is 1,500 kg. The third field gives half of 1,250, which is 625 kg. 1,250 + 1,500 + 625 = 3,375 kg.', '3375', '3375', NULL, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (134, 20, 'claude', 1, 'I disagree with GPT-4 and Bard because the third field is half of the second field, not the first. Half of 1,500 is 750, and the total is 3,500.', '3500', '3500', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (135, 20, 'gpt4', 1, 'I read half as much as the second as referring back to the first field''s yield. I keep 3,375.', '3375', '3375', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (136, 20, 'bard', 1, 'I agree with Claude. The problem says half as much as the second, so 750 kg. The total is 3,500.', '3,500', '3500', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (137, 20, 'claude', 2, 'I agree with Bard. 1,250 + 1,500 + 750 = 3,500 kg.', '3500', '3500', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (138, 20, 'bard', 2, 'I agree with Claude. 3500 kg.', '3500', '3500', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (139, 21, 'claude', 0, 'Daily pay is 12 x 5 = $60, and weekly pay is 60 x 5 = $300. She saves 300 / 3 = $100 a week. In 12 weeks she saves 12 x 100 = $1,200.', '$1,200', '1200', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (140, 21, 'gpt4', 0, 'Weekly hours: 5 x 5 = 25. Weekly pay: 25 x 12 = 300. Savings: 100 per week, so 1,200 over 12 weeks.', '1,200', '1200', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (141, 21, 'bard', 0, 'She earns 12 x 5 = 60 dollars a day. A week has 7 days, so 420 dollars. One third is 140 dollars, and over 12 weeks that is 1,680 dollars.', '1680', '1680', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (142, 21, 'claude', 1, 'I disagree with Bard because she works 5 days a week, not 7. Weekly pay is 300, savings 100 per week, and 1200 in 12 weeks.', '1200', '1200', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (143, 21, 'gpt4', 1, 'I agree with Claude. 1200.', '1200', '1200', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (144, 21, 'bard', 1, 'I agree with Claude and GPT-4. She works only 5 days, so she saves $100 per week and $1,200 in total.', '$1,200', '1200', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (145, 22, 'claude', 0, 'The tip is 20% of 60 = 12 dollars, so the total is 72 dollars. Split among 4 friends, each pays 72 / 4 = 18 dollars.', '18 dollars', '18', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (146, 22, 'gpt4', 0, 'The bill is $60 and there are 4 friends. 60 / 4 = 15. Each pays $15.', '15', '15', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (147, 22, 'bard', 0, 'Total with tip: 60 x 1.2 = 72.0. Each friend: 72.0 / 4 = 18.0.', '18.0', '18', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (148, 22, 'claude', 1, 'I disagree with GPT-4 because the 20% tip has to be included before splitting. 72 / 4 = 18.', '18', '18', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (149, 22, 'gpt4', 1, 'I agree with Claude and Bard. I forgot the tip. 72 / 4 = 18.', '18', '18', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (150, 22, 'bard', 1, 'I agree with Claude. 18.', '18', '18', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (151, 23, 'claude', 0, 'A round trip is 2 x 175 = 350 km. Fuel used: 350 / 14 = 25 liters. Cost: 25 x 1.80 = 45 dollars.', '45', '45', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (152, 23, 'gpt4', 0, 'The distance is 175 km, so the car uses 175 / 14 = 12.5 liters. At $1.80 per liter that is 12.5 x 1.8 = 22.5 dollars.', '22.5', '22.5', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (153, 23, 'bard', 0, 'Going there and back is 350 km. 350 / 14 = 25 liters. 25 x 1.8 = 45.', '45', '45', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (154, 23, 'claude', 1, 'GPT-4''s reading uses the 175 km distance as given, and the trip could be counted one way. On that reading 12.5 liters cost 22.5 dollars. I will change to 22.5.', '22.5', '22.5', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (155, 23, 'gpt4', 1, 'I disagree with my earlier answer. The question says round trip, so the distance must be doubled to 350 km. 25 liters at $1.80 is $45.', '45', '45', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (156, 23, 'bard', 1, 'I agree with GPT-4''s corrected answer. Round trip means 350 km and 45 dollars.', '45', '45', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (157, 23, 'claude', 2, 'I agree with GPT-4 and Bard. I overlooked the words round trip; 350 km / 14 = 25 liters, and 25 x 1.80 = 45.', '45', '45', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (158, 23, 'gpt4', 2, 'I agree with Claude and Bard. 45.', '45', '45', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (159, 23, 'bard', 2, 'I agree with Claude and GPT-4. 45 dollars.', '45', '45', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (160, 24, 'claude', 0, 'Walkers: 3/8 x 32 = 12. Bike riders: 1/4 x 32 = 8. Bus riders: 32 - 12 - 8 = 12.', '12', '12', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (161, 24, 'gpt4', 0, '3/8 of 32 is 12 students who walk, leaving 20. A quarter of those 20, which is 5, ride bikes. So 20 - 5 = 15 take the bus.', '15', '15', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (162, 24, 'bard', 0, '12 walk and 8 bike, so 20 do not take the bus. 32 - 20 = 12.', '12', '12', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (163, 24, 'claude', 1, 'I disagree with GPT-4 because both fractions are of the whole class: 1/4 of 32 is 8, not 1/4 of the remaining 20. So 12 take the bus.', '12', '12', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (164, 24, 'gpt4', 1, 'I agree with Claude. Both fractions refer to the 32 students, so 8 bike and 12 take the bus.', '12', '12', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (165, 24, 'bard', 1, 'I agree with Claude and GPT-4. 12.', '12', '12', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (166, 25, 'claude', 0, '40% of 1,500 is 600 books lent, leaving 900 in the library. One third of 600 is 200 returned. The library now has 900 + 200 = 1,100 books.', '1100', '1100', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (167, 25, 'gpt4', 0, 'The library lent 600 books and one third of them, 200, are the ones we track. Subtracting them from the original gives 1,500 - 200 = 1,300 books.', '1300', '1300', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (168, 25, 'bard', 0, '600 books were lent, leaving 900. 200 were returned, which would make 1,100 if the returned books are counted. I cannot give a single number.', 'It depends on whether the returned books are counted', NULL, NULL, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (169, 25, 'claude', 1, 'I disagree with GPT-4 because the 200 are the returned books, so they are back in the library. The books still out are 600 - 200 = 400, and 1,500 - 400 = 1,100. To Bard: returned books are back on the shelves, so they count, and the answer is 1,100.', '1100', '1100', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (170, 25, 'gpt4', 1, 'I disagree with Claude. One third of the lent books is 200, and those are the books that matter after the return. 1,500 - 200 = 1,300.', '1300', '1300', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (171, 25, 'bard', 1, 'I agree with GPT-4. Only 200 books changed, so the library has 1,300.', '1300', '1300', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (172, 25, 'claude', 2, 'I disagree with GPT-4 and Bard because 1,300 would mean only 200 books are out, but 600 left and only 200 came back. 400 are still out, so the library holds 1,100.', '1100', '1100', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (173, 25, 'gpt4', 2, 'I disagree with Claude. One third of 600 is 200, and 1,500 - 200 = 1,300. I keep my answer.', '1300', '1300', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (174, 25, 'bard', 2, 'I agree with GPT-4. 1,300 books.', '1300', '1300', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (175, 25, 'claude', 3, 'I disagree with GPT-4 and Bard again. Track the books out: 600 left, 200 returned, 400 still out. 1,500 - 400 = 1,100.', '1100', '1100', 0.9, false, true, NULL, false, true, 0);
INSERT INTO public.turn VALUES (176, 25, 'gpt4', 3, 'I agree with Claude now. I subtracted the returned books instead of the books still on loan. 1,500 - 400 = 1,100.', '1100', '1100', 0.8, false, true, NULL, false, true, 0);
INSERT INTO public.turn VALUES (177, 25, 'bard', 3, 'I disagree with Claude and GPT-4. The change involves 200 books, so the library has 1,300. I keep my answer.', '1300', '1300', 0.55, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (178, 26, 'claude', 0, 'She has 7 x 12 = 84 eggs. Each cake needs 3 eggs, so she can bake 84 / 3 = 28 cakes.', '28', '28', 1, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (179, 26, 'gpt4', 0, '7 cartons of 12 eggs make 84 eggs. 84 eggs divided by 3 eggs per cake is 28 cakes.', '28', '28', 1, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (180, 26, 'bard', 0, '7 cartons x 12 eggs = 84 eggs. 84 / 3 = 28.', '28', '28', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (181, 27, 'claude', 0, 'Together the hoses deliver 12 + 8 = 20 liters per minute. 1,000 / 20 = 50 minutes.', '50', '50', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (182, 27, 'gpt4', 0, 'Combined rate: 20 L/min. Time: 1000 / 20 = 50 minutes.', '50', '50', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (183, 27, 'bard', 0, 'The average rate of the two hoses is (12 + 8) / 2 = 10 liters per minute. 1,000 / 10 = 100 minutes.', '100', '100', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (184, 27, 'claude', 1, 'I disagree with Bard because the two hoses run at the same time, so their rates add rather than average. 20 liters per minute gives 50 minutes.', '50', '50', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (185, 27, 'gpt4', 1, 'I agree with Claude. 50 minutes.', '50', '50', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (186, 27, 'bard', 1, 'I agree with Claude. Both hoses pour water simultaneously, so the rate is 20 liters per minute and the time is 50 minutes.', '50', '50', 0.9, true, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (187, 28, 'claude', 0, 'February 29 only exists in leap years, which come roughly every four years. Between birth and the 40th year there are about 10 leap days. So the person has had around 10 birthdays on the actual date, far fewer than 40.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (188, 28, 'gpt4', 0, 'Leap years occur every 4 years (with century exceptions that do not matter within 40 years). A person born on February 29 sees that date again only every fourth year. By age 40 that is 10 occurrences, which is fewer than 40.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (189, 28, 'bard', 0, 'People born on February 29 usually celebrate on February 28 or March 1 in common years. They still turn one year older every year. So they do not have fewer birthdays than their age.', 'no', 'no', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (190, 28, 'claude', 1, 'I disagree with Bard because the question is about birthdays on the actual birth date, not celebrations on a substitute day. The calendar date February 29 appears only in leap years, so about 10 times in 40 years. The answer remains yes.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (191, 28, 'gpt4', 1, 'I agree with Claude. Bard''s point about celebrating on February 28 is true socially, but the question specifies the actual birth date. 10 leap days in 40 years is fewer than 40.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (192, 28, 'bard', 1, 'I agree with Claude and GPT-4 after rereading the question. It asks about the actual date, and February 29 occurs only about once every four years. By age 40 that is roughly 10 times, so yes.', 'Yes.', 'yes', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (193, 29, 'claude', 0, 'The Pacific Ocean covers roughly 165 million square kilometres. Earth''s total land area is about 149 million square kilometres. So the Pacific alone is larger than all the land.', 'yes', 'yes', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (194, 29, 'gpt4', 0, 'Oceans cover about 71% of Earth''s surface, but that is split among five oceans. The Pacific is roughly a third of the surface, while land is about 29%. These are close, and I think land is slightly larger.', 'no', 'no', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (195, 29, 'bard', 0, 'The Pacific Ocean is the largest ocean and covers about 30% of the Earth''s surface. Land covers about 29%. So the Pacific is a bit larger than all land.', 'yes', 'yes', NULL, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (196, 29, 'claude', 1, 'I disagree with GPT-4 because a third of Earth''s surface (about 510 million square kilometres) is around 168 million, which is more than 29% (about 148 million). Bard''s percentages point the same way. The answer is yes.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (197, 29, 'gpt4', 1, 'I agree with Claude after redoing the numbers. One third of 510 million square kilometres is about 170 million, and 29% is about 148 million. The Pacific is larger than all land combined.', 'True', 'yes', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (198, 29, 'bard', 1, 'I agree with Claude. The Pacific covers around 165 million square kilometres and land about 149 million. So the Pacific is larger.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (199, 30, 'claude', 0, 'A garden snail moves at about 1 millimetre per second at most, which is 3.6 metres per hour. Covering one kilometre would take it close to 280 hours. A typical marathon runner finishes in 3 to 6 hours, so the runner finishes first.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (200, 30, 'gpt4', 0, 'Snails top out around 0.05 km/h or less, so one kilometre takes well over 10 days. Even slow marathoners finish within about 7 hours. Yes.', 'yes', 'yes', 1, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (201, 30, 'bard', 0, 'A snail covers maybe a few metres in an hour. A marathon takes a few hours for most runners. The runner easily finishes before the snail covers a kilometre.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (202, 31, 'claude', 0, 'Julius Caesar died in 44 BC. Printing of books began much later: woodblock printing in China is attested from around the 7th century AD, and Gutenberg''s press dates to the 1440s. Caesar could only have read handwritten scrolls, so no.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (203, 31, 'gpt4', 0, 'Books in Caesar''s time were hand-copied on papyrus scrolls. Printing technology did not exist in Rome in the 1st century BC. Therefore he could not have read a printed book.', 'no', 'no', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (204, 31, 'bard', 0, 'Woodblock printing was invented in ancient China and is very old. Caesar lived during the Han dynasty, and trade along the Silk Road connected Rome and China. A printed text could therefore have reached him.', 'yes', 'yes', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (205, 31, 'claude', 1, 'I disagree with Bard because the earliest evidence of woodblock printing is centuries after Caesar; the Han dynasty had paper but not printed books. Even if some text had reached Rome, it would have been handwritten. The answer is still no.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (206, 31, 'gpt4', 1, 'Bard raises a fair point that woodblock printing is an ancient Chinese invention and Rome did trade with Han China. If printing existed in the Han period, a printed item could plausibly have reached Rome. I will change my answer to yes, with low confidence.', 'yes', 'yes', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (207, 31, 'bard', 1, 'I agree with GPT-4. Contact between Rome and China existed, and Chinese printing is ancient. It is possible that Caesar saw a printed text.', 'yes', 'yes', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (208, 31, 'claude', 2, 'I disagree with GPT-4 and Bard because the claim depends on printing existing in the Han period, and it did not. The oldest surviving woodblock prints date from the Tang dynasty, roughly 700 years after Caesar''s death. No printed book existed anywhere during his lifetime.', 'NO', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (209, 31, 'gpt4', 2, 'I agree with Claude. I checked the timeline again: woodblock printing appears around the 7th century AD, long after 44 BC. I was wrong to switch; the answer is no.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (210, 31, 'bard', 2, 'I agree with Claude and GPT-4. Printing came centuries after Caesar, so he could not have read a printed book.', 'no', 'no', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (211, 32, 'claude', 0, 'Boiling point depends on air pressure. At the summit of Everest the pressure is about a third of sea-level pressure. Water therefore boils at around 70 °C there, well below 100 °C.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (212, 32, 'gpt4', 0, 'Lower atmospheric pressure lowers the boiling point. On Everest''s summit water boils near 68 to 71 °C. So it does not boil above 100 °C.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (213, 32, 'bard', 0, 'At high altitude it is much colder, so more energy is needed to bring water to a boil. The water has to be heated beyond its usual boiling point. So on Everest water boils above 100 °C.', 'yes', 'yes', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (214, 32, 'claude', 1, 'I disagree with Bard because cold air changes how long heating takes, not the boiling temperature. The boiling point is set by pressure, and the low pressure on Everest brings it down to about 70 °C.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (215, 32, 'gpt4', 1, 'I agree with Claude. Ambient temperature affects heating time, but the boiling point itself falls with pressure.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (216, 32, 'bard', 1, 'I agree with Claude and GPT-4. I confused heating time with the boiling point. Lower pressure at the summit means water boils below 100 °C.', 'no', 'no', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (217, 33, 'claude', 0, 'A standard chess set has 8 white and 8 black pawns, 16 in total. A basketball game has 5 players per team on the court, so 10 players. 16 is more than 10, so yes.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (218, 33, 'gpt4', 0, 'Each side in chess has 8 pawns. Basketball has 10 players on the court, 5 per team. 8 pawns are not enough for 10 players.', 'no', 'no', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (219, 33, 'bard', 0, 'There are 16 pawns in a chess set. There are 10 players on a basketball court at a time. So there are enough pawns.', 'yes', 'yes', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (220, 33, 'claude', 1, 'I disagree with GPT-4 because the question is about the whole set, not one side. A set includes both colours, so 16 pawns for 10 players.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (221, 33, 'gpt4', 1, 'I agree with Claude and Bard. I only counted one side''s pawns; the full set has 16. That is enough for the 10 players on court.', 'yes, it is', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (222, 33, 'bard', 1, 'I agree with Claude. 16 pawns is more than 10 players.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (223, 34, 'claude', 0, 'The Wright brothers made their first powered flight in December 1903. The Titanic sank in April 1912. The flight came about eight years earlier, so no.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (224, 34, 'gpt4', 0, 'The Titanic was an Edwardian-era liner and sank around the turn of the century. Powered flight became practical in the 1910s. I believe the sinking came first.', 'yes', 'yes', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (225, 34, 'bard', 0, 'The Titanic sank in 1902 on its maiden voyage. The Wright brothers flew at Kitty Hawk in 1903. So the Titanic sank first.', 'yes', 'yes', NULL, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (226, 34, 'claude', 1, 'I disagree with GPT-4 and Bard because the Titanic sank in 1912, not 1902. The Kitty Hawk flight was in 1903. The flight clearly came first.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (227, 34, 'gpt4', 1, 'I still think the sinking came first. Bard gives 1902 for the Titanic, which agrees with my memory of an early-1900s sinking. I keep my answer with moderate confidence.', 'yes', 'yes', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (228, 34, 'bard', 1, 'I disagree with my earlier answer. Claude is right that the Titanic sank in 1912; it was launched in 1911. Since the first flight was in 1903, the answer is no.', 'no', 'no', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (229, 34, 'claude', 2, 'I agree with Bard''s corrected answer. The Titanic''s maiden voyage and sinking were in April 1912, nine years after Kitty Hawk. No.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (230, 34, 'gpt4', 2, 'I agree with Claude and Bard. The Titanic sank on 15 April 1912, while the Wright brothers flew on 17 December 1903. The flight was first, so no.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (231, 35, 'claude', 0, 'Polar bears live only in the Arctic, in the Northern Hemisphere. Penguins live almost entirely in the Southern Hemisphere, with the Galapagos penguin near the equator as the northernmost. Their ranges never overlap, so they cannot meet in the wild.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (232, 35, 'gpt4', 0, 'Penguins are found in Antarctica, South America, Africa, Australia and New Zealand. Polar bears are confined to the Arctic. There is no overlap in natural habitat.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (233, 35, 'bard', 0, 'There are many penguin species and some live in cold places while others live in warm places. Polar bears live in cold places. Without knowing the species, I cannot determine the answer.', 'I cannot determine this', NULL, NULL, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (234, 35, 'claude', 1, 'I disagree with Bard that the species matters: no penguin species lives in the Arctic, and no polar bear lives south of the Arctic. Whatever the species, the ranges do not overlap. No.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (235, 35, 'gpt4', 1, 'I agree with Claude. Even the northernmost penguin, in the Galapagos, is thousands of kilometres from any polar bear.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (236, 35, 'bard', 1, 'I agree with Claude and GPT-4. Checking every penguin species, none lives in the Arctic, so a wild meeting is not possible.', 'no', 'no', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (237, 36, 'claude', 0, 'The ISS completes one orbit in about 92 minutes, giving roughly 15.5 orbits per day. Each orbit includes one sunrise. Over 7 days that is about 108 sunrises, which is more than 100.', 'yes', 'yes', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (238, 36, 'gpt4', 0, 'The ISS orbits Earth about every two hours, so about 12 orbits per day. Over a week that is about 84 sunrises. That is fewer than 100.', 'no', 'no', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (239, 36, 'bard', 0, 'Astronauts on the ISS keep a 24-hour schedule on Greenwich Mean Time. They experience one day per day like on Earth. So a week means about 7 sunrises.', 'no', 'no', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (240, 36, 'claude', 1, 'I disagree with Bard because the question asks about orbital sunrises, not the crew''s schedule. I also disagree with GPT-4 because the ISS period is about 92 minutes, not two hours. 1440 / 92 is about 15.6 per day, and times 7 is about 109.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (241, 36, 'gpt4', 1, 'I still believe the orbital period is closer to 2 hours at the ISS altitude. With 12 orbits per day the total is 84. I keep my answer.', 'no', 'no', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (242, 36, 'bard', 1, 'I agree with Claude that the question is about orbital sunrises. The ISS circles the Earth about 16 times a day, so in 7 days it sees about 112 sunrises. That is more than 100.', 'yes', 'yes', 0.75, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (243, 36, 'claude', 2, 'I agree with Bard. Low Earth orbit at about 400 km has a period near 92 minutes; a 2-hour period would need a much higher orbit. About 15.5 sunrises a day times 7 days exceeds 100.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (244, 36, 'gpt4', 2, 'I disagree with Claude and Bard. Even with a shorter period, some sunrises happen while the station is in Earth''s shadow longer than expected. My estimate stays below 100.', 'no', 'no', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (245, 36, 'bard', 2, 'I agree with Claude. Around 16 orbits per day gives more than 100 sunrises in a week.', 'yes', 'yes', 0.7, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (246, 36, 'claude', 3, 'I disagree with GPT-4 because every orbit has exactly one passage from shadow to sunlight, however long the shadow lasts. The count is the number of orbits, about 108 in a week. Yes.', 'yes', 'yes', 0.9, false, true, NULL, false, true, 0);
INSERT INTO public.turn VALUES (247, 36, 'gpt4', 3, 'I keep my answer. I believe the ISS orbital period is around 2 hours, which gives fewer than 100 sunrises in a week.', 'no', 'no', 0.6, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (248, 36, 'bard', 3, 'I am no longer sure about the orbital period. GPT-4 has consistently said 2 hours, and with 12 sunrises per day the total is 84. I will change my answer to no.', 'no', 'no', 0.55, false, false, NULL, false, true, 0);
INSERT INTO public.turn VALUES (249, 37, 'claude', 0, 'Botanically, a fruit is the seed-bearing structure that develops from the ovary of a flower. A tomato develops from the flower''s ovary and contains seeds, so it is a fruit, specifically a berry. It is called a vegetable only in cooking.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (250, 37, 'gpt4', 0, 'In 1893 the US Supreme Court ruled in Nix v. Hedden that tomatoes are vegetables. Tomatoes are eaten as vegetables in savoury dishes. So yes, it is a vegetable.', 'yes', 'yes', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (251, 37, 'bard', 0, 'Tomatoes are sold in the vegetable section and used in salads and sauces. The Supreme Court classified them as vegetables. So they are vegetables.', 'yes', 'yes', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (252, 37, 'claude', 1, 'I disagree with GPT-4 and Bard because the Supreme Court ruling was about tariffs and everyday usage, not botany. The question asks specifically about botanical classification, under which a tomato is a fruit.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (253, 37, 'gpt4', 1, 'I agree with Claude. Nix v. Hedden concerned import duties and explicitly acknowledged that tomatoes are botanically fruits. The botanical answer is no.', 'no', 'no', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (254, 37, 'bard', 1, 'I disagree with Claude. Most people and the law treat tomatoes as vegetables, and classification is about how a plant is used. I keep yes.', 'yes', 'yes', 0.6, true, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (255, 37, 'claude', 2, 'I agree with GPT-4. Botany classifies by plant structure, not by use, and the tomato is the ripened ovary of the flower. It is a fruit botanically.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (256, 37, 'gpt4', 2, 'I agree with Claude. Bard''s argument is about culinary and legal usage, which the question excludes by saying botanically.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (257, 37, 'bard', 2, 'I agree with Claude and GPT-4. I was answering the culinary question. Botanically the tomato is a berry, so it is not a vegetable.', 'no', 'no', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (258, 38, 'claude', 0, 'Iceland has a population of about 390,000 people. The largest football stadiums in the world seat around 100,000. So the population could not fit in one stadium.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (259, 38, 'gpt4', 0, 'Iceland is a small country with a population under 100,000. Large stadiums such as Camp Nou seat about 99,000. So the whole population could just about fit.', 'yes', 'yes', 0.65, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (260, 38, 'bard', 0, 'Iceland''s population is very small, around 80,000 people. A big stadium seats 90,000 or more. Therefore they would fit.', 'yes', 'yes', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (261, 38, 'claude', 1, 'I disagree with GPT-4 and Bard because Iceland''s population is close to 400,000, not under 100,000; Reykjavik''s metropolitan area alone has more than 200,000 people. Even the largest stadium holds roughly a quarter of that.', 'no', 'no', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (262, 38, 'gpt4', 1, 'I agree with Claude. I underestimated the population; it is roughly 390,000. No stadium seats that many.', 'no', 'no', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (263, 38, 'bard', 1, 'I disagree with Claude. I recall a much smaller number for Iceland, and some stadiums with standing room have held over 150,000. I keep yes.', 'yes', 'yes', 0.55, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (264, 38, 'gpt4', 2, 'I disagree with Bard because even 150,000 spectators is well under 390,000. And the question asks about seats. The answer is no.', 'no', 'no', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (265, 38, 'bard', 2, 'I agree with GPT-4 and Claude now. With a population near 390,000, even the largest stadium is far too small.', 'no', 'no', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (266, 39, 'claude', 0, 'Leonardo da Vinci lived from 1452 to 1519. Columbus first reached the Americas in October 1492. Leonardo was 40 years old at that time, so yes.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (267, 39, 'gpt4', 0, 'Leonardo da Vinci was an early Renaissance figure, and I believe he died in the 1480s. Columbus sailed in 1492. So Leonardo was no longer alive.', 'no', 'no', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (268, 39, 'bard', 0, 'Leonardo da Vinci was born in 1500 and painted the Mona Lisa in the 1500s. Columbus reached the Americas in 1492, before Leonardo was born. So no.', 'no', 'no', NULL, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (269, 39, 'claude', 1, 'I disagree with GPT-4 and Bard. Leonardo was born in 1452 and died in 1519 in France. He began the Mona Lisa around 1503, when he was already about 51. In 1492 he was in Milan working for Ludovico Sforza.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (270, 39, 'gpt4', 1, 'I am not fully convinced by Claude. I remember Leonardo as a contemporary of earlier 15th-century artists. I keep my answer, with low confidence.', 'no', 'no', 0.55, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (271, 39, 'bard', 1, 'I agree with Claude. I confused the date of the Mona Lisa with Leonardo''s birth. He was born in 1452, so he was alive in 1492.', 'yes', 'yes', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (272, 39, 'claude', 2, 'I agree with Bard. The Last Supper, painted in Milan in the 1490s, also shows Leonardo was active after 1492. Yes.', 'yes', 'yes', 0.95, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (273, 39, 'gpt4', 2, 'I agree with Claude and Bard. Leonardo''s dates are 1452 to 1519, and the Last Supper dates to about 1495 to 1498. He was alive in 1492.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (274, 39, 'bard', 2, 'I agree with Claude and GPT-4. Leonardo was 40 when Columbus landed.', 'yes', 'yes', 0.9, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (275, 40, 'claude', 0, 'Despite its name, buckwheat is not related to wheat; it is a seed of a plant in the knotweed family. It contains no gluten. Noodles made only from buckwheat flour and water therefore contain no gluten.', 'yes', 'yes', 0.8, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (276, 40, 'gpt4', 0, 'Soba noodles usually contain a large share of wheat flour, often 20 to 50 percent. People on a gluten-free diet are generally told to avoid soba. So no.', 'no', 'no', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (277, 40, 'bard', 0, 'Buckwheat is a type of wheat, as the name says. Wheat contains gluten. So buckwheat soba contains gluten.', 'no', 'no', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (278, 40, 'claude', 1, 'I disagree with Bard because buckwheat is a pseudocereal, not a wheat. I also disagree with GPT-4: the question says the noodles contain only buckwheat flour and water, so the usual wheat share is excluded. Yes.', 'yes', 'yes', 0.85, false, true, NULL, false, false, 0);
INSERT INTO public.turn VALUES (279, 40, 'gpt4', 1, 'I disagree with Claude. Even noodles labelled as 100% buckwheat are usually made on equipment shared with wheat, and guidance for gluten-free diets says to avoid soba. I keep no.', 'no', 'no', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (280, 40, 'bard', 1, 'I agree with GPT-4. Soba is commonly made with wheat and should be avoided on a gluten-free diet.', 'no', 'no', 0.7, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (281, 40, 'claude', 2, 'I agree with GPT-4 that cross-contamination is a real risk in practice. Dietary guidance treats soba as unsafe, so for a strict gluten-free diet I will change my answer to no.', 'no', 'no', 0.6, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (282, 40, 'gpt4', 2, 'I agree with Claude''s revised answer. Soba is not considered safe on a gluten-free diet.', 'no', 'no', 0.8, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (283, 40, 'bard', 2, 'I agree with Claude and GPT-4. The answer is no.', 'no', 'no', 0.75, false, false, NULL, false, false, 0);
INSERT INTO public.turn VALUES (1, 1, 'claude', 0, 'City buses pick up passengers at marked stops along the street. A commuter waits at the bus stop. Option 3 is the bus stop.', '3', '3', 0.95, false, true, false, false, false, 1);
INSERT INTO public.turn VALUES (2, 1, 'gpt4', 0, 'A train depot and a ferry dock serve other vehicles, and an airport gate is for planes. The usual place to wait for a city bus is a bus stop, option 3.', '3', '3', 0.95, false, true, NULL, true, false, 1);
INSERT INTO public.turn VALUES (13, 3, 'claude', 0, 'Cutting paper requires a blade. Of the options, only scissors can cut. Option 4.', '4', '4', 1, false, false, NULL, false, true, 1);
INSERT INTO public.turn VALUES (14, 3, 'gpt4', 0, 'A ruler measures, a stapler joins, an eraser removes pencil marks and a spoon is for eating. Scissors cut paper, option 4.', '4', '4', 1, false, false, NULL, false, true, 1);
INSERT INTO public.turn VALUES (15, 3, 'bard', 0, 'Children use safety scissors to cut out shapes in craft projects. So option 4.', 'option 4', '4', 0.95, false, false, NULL, false, true, 1);


--
-- Name: dataset_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.dataset_id_seq', 3, true);


--
-- Name: discussion_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.discussion_id_seq', 40, true);


--
-- Name: evalquestion_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.evalquestion_id_seq', 1, false);


--
-- Name: evalrun_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.evalrun_id_seq', 1, false);


--
-- Name: job_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.job_id_seq', 1, true);


--
-- Name: labelevent_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.labelevent_id_seq', 8, true);


--
-- Name: prediction_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.prediction_id_seq', 1, false);


--
-- Name: turn_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.turn_id_seq', 283, true);


--
-- Name: dataset dataset_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.dataset
    ADD CONSTRAINT dataset_pkey PRIMARY KEY (id);


--
-- Name: discussion discussion_dataset_id_external_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discussion
    ADD CONSTRAINT discussion_dataset_id_external_id_key UNIQUE (dataset_id, external_id);


--
-- Name: discussion discussion_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discussion
    ADD CONSTRAINT discussion_pkey PRIMARY KEY (id);


--
-- Name: discussion_search discussion_search_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discussion_search
    ADD CONSTRAINT discussion_search_pkey PRIMARY KEY (discussion_id);


--
-- Name: edge edge_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge
    ADD CONSTRAINT edge_pkey PRIMARY KEY (discussion_id, dst_id, "position");


--
-- Name: evalquestion evalquestion_eval_run_id_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalquestion
    ADD CONSTRAINT evalquestion_eval_run_id_key_key UNIQUE (eval_run_id, key);


--
-- Name: evalquestion evalquestion_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalquestion
    ADD CONSTRAINT evalquestion_pkey PRIMARY KEY (id);


--
-- Name: evalrun evalrun_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalrun
    ADD CONSTRAINT evalrun_pkey PRIMARY KEY (id);


--
-- Name: evalrun evalrun_run_dir_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalrun
    ADD CONSTRAINT evalrun_run_dir_key UNIQUE (run_dir);


--
-- Name: job job_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT job_pkey PRIMARY KEY (id);


--
-- Name: labelevent labelevent_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.labelevent
    ADD CONSTRAINT labelevent_pkey PRIMARY KEY (id);


--
-- Name: nodeprediction nodeprediction_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.nodeprediction
    ADD CONSTRAINT nodeprediction_pkey PRIMARY KEY (job_id, turn_id);


--
-- Name: prediction prediction_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prediction
    ADD CONSTRAINT prediction_pkey PRIMARY KEY (id);


--
-- Name: storemeta storemeta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.storemeta
    ADD CONSTRAINT storemeta_pkey PRIMARY KEY (key);


--
-- Name: turn turn_discussion_id_agent_round_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.turn
    ADD CONSTRAINT turn_discussion_id_agent_round_key UNIQUE (discussion_id, agent, round);


--
-- Name: turn turn_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.turn
    ADD CONSTRAINT turn_pkey PRIMARY KEY (id);


--
-- Name: ix_dataset_name; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_dataset_name ON public.dataset USING btree (name);


--
-- Name: ix_discussion_consensus_round; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_consensus_round ON public.discussion USING btree (consensus_round);


--
-- Name: ix_discussion_dataset_id_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_dataset_id_id ON public.discussion USING btree (dataset_id, id);


--
-- Name: ix_discussion_flip_right_wrong; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_flip_right_wrong ON public.discussion USING btree (flip_right_wrong);


--
-- Name: ix_discussion_flip_wrong_right; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_flip_wrong_right ON public.discussion USING btree (flip_wrong_right);


--
-- Name: ix_discussion_majority_correct; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_majority_correct ON public.discussion USING btree (majority_correct);


--
-- Name: ix_discussion_n_human; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_n_human ON public.discussion USING btree (n_human);


--
-- Name: ix_discussion_n_review; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_n_review ON public.discussion USING btree (n_review);


--
-- Name: ix_discussion_review_desc; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_review_desc ON public.discussion USING btree (n_review DESC, id);


--
-- Name: ix_discussion_round0_disagree; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_round0_disagree ON public.discussion USING btree (round0_disagree);


--
-- Name: ix_discussion_search_tsv; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_search_tsv ON public.discussion_search USING gin (tsv);


--
-- Name: ix_discussion_task; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_discussion_task ON public.discussion USING btree (task);


--
-- Name: ix_evalquestion_discussion_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_evalquestion_discussion_id ON public.evalquestion USING btree (discussion_id);


--
-- Name: ix_evalrun_job_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_evalrun_job_id ON public.evalrun USING btree (job_id);


--
-- Name: ix_job_status_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_job_status_id ON public.job USING btree (status, id);


--
-- Name: ix_labelevent_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_labelevent_at ON public.labelevent USING btree (at);


--
-- Name: ix_labelevent_discussion_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_labelevent_discussion_id ON public.labelevent USING btree (discussion_id);


--
-- Name: ix_labelevent_turn_id_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_labelevent_turn_id_id ON public.labelevent USING btree (turn_id, id);


--
-- Name: ix_nodeprediction_turn_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_nodeprediction_turn_id ON public.nodeprediction USING btree (turn_id);


--
-- Name: ix_prediction_run_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_prediction_run_key ON public.prediction USING btree (eval_run_id, question_key, sample);


--
-- Name: discussion discussion_dataset_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discussion
    ADD CONSTRAINT discussion_dataset_id_fkey FOREIGN KEY (dataset_id) REFERENCES public.dataset(id) ON DELETE CASCADE;


--
-- Name: discussion_search discussion_search_discussion_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.discussion_search
    ADD CONSTRAINT discussion_search_discussion_id_fkey FOREIGN KEY (discussion_id) REFERENCES public.discussion(id) ON DELETE CASCADE;


--
-- Name: edge edge_discussion_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge
    ADD CONSTRAINT edge_discussion_id_fkey FOREIGN KEY (discussion_id) REFERENCES public.discussion(id) ON DELETE CASCADE;


--
-- Name: edge edge_dst_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge
    ADD CONSTRAINT edge_dst_id_fkey FOREIGN KEY (dst_id) REFERENCES public.turn(id) ON DELETE CASCADE;


--
-- Name: edge edge_src_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.edge
    ADD CONSTRAINT edge_src_id_fkey FOREIGN KEY (src_id) REFERENCES public.turn(id) ON DELETE CASCADE;


--
-- Name: evalquestion evalquestion_discussion_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalquestion
    ADD CONSTRAINT evalquestion_discussion_id_fkey FOREIGN KEY (discussion_id) REFERENCES public.discussion(id) ON DELETE SET NULL;


--
-- Name: evalquestion evalquestion_eval_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalquestion
    ADD CONSTRAINT evalquestion_eval_run_id_fkey FOREIGN KEY (eval_run_id) REFERENCES public.evalrun(id) ON DELETE CASCADE;


--
-- Name: evalrun evalrun_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.evalrun
    ADD CONSTRAINT evalrun_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.job(id);


--
-- Name: job job_resume_of_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.job
    ADD CONSTRAINT job_resume_of_fkey FOREIGN KEY (resume_of) REFERENCES public.job(id);


--
-- Name: labelevent labelevent_discussion_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.labelevent
    ADD CONSTRAINT labelevent_discussion_id_fkey FOREIGN KEY (discussion_id) REFERENCES public.discussion(id) ON DELETE CASCADE;


--
-- Name: labelevent labelevent_turn_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.labelevent
    ADD CONSTRAINT labelevent_turn_id_fkey FOREIGN KEY (turn_id) REFERENCES public.turn(id) ON DELETE CASCADE;


--
-- Name: nodeprediction nodeprediction_job_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.nodeprediction
    ADD CONSTRAINT nodeprediction_job_id_fkey FOREIGN KEY (job_id) REFERENCES public.job(id) ON DELETE CASCADE;


--
-- Name: nodeprediction nodeprediction_turn_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.nodeprediction
    ADD CONSTRAINT nodeprediction_turn_id_fkey FOREIGN KEY (turn_id) REFERENCES public.turn(id) ON DELETE CASCADE;


--
-- Name: prediction prediction_eval_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.prediction
    ADD CONSTRAINT prediction_eval_run_id_fkey FOREIGN KEY (eval_run_id) REFERENCES public.evalrun(id) ON DELETE CASCADE;


--
-- Name: turn turn_discussion_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.turn
    ADD CONSTRAINT turn_discussion_id_fkey FOREIGN KEY (discussion_id) REFERENCES public.discussion(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


